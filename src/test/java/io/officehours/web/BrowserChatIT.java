package io.officehours.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.TestNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The student and teacher pages in a real headless Chromium against a real node: sign in, join,
 * take next, two lines each way, end; and a student reload mid-chat that resumes with no lost or
 * repeated line. On failure a screenshot and the browser console of each page go to
 * target/browser/; the passing main test refreshes docs/img/student.png and teacher.png.
 */
class BrowserChatIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestNode node;
  private final List<WebDriver> drivers = new ArrayList<>();
  private final List<ChromeDriverService> services = new ArrayList<>();
  private String testName;

  @BeforeAll
  static void chromiumIsInstalled() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + ": apt-get install -y chromium chromium-driver (scripts/test.sh does it)");
    }
  }

  @BeforeEach
  void start(TestInfo info) {
    testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    // a grace period, so that a reloading student keeps its chat
    node = TestNode.start("--grace", "10s");
  }

  @AfterEach
  void stop() {
    for (WebDriver d : drivers) {
      try {
        d.quit();
      } catch (RuntimeException e) {
        // already gone
      }
    }
    for (ChromeDriverService s : services) s.stop();
    if (node != null) node.close();
  }

  private WebDriver browser() {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
        .usingAnyFreePort()
        .build();
    services.add(service);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    WebDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 800));
    drivers.add(driver);
    return driver;
  }

  private String url(String page) {
    return "http://127.0.0.1:" + node.port + "/" + page;
  }

  private static WebDriverWait waiting(WebDriver d) {
    return new WebDriverWait(d, WAIT, Duration.ofMillis(50));
  }

  private static void signIn(WebDriver d, String name) {
    waiting(d).until(x -> x.findElement(By.id("name")).isDisplayed());
    d.findElement(By.id("name")).sendKeys(name, Keys.ENTER);
    waiting(d).until(x -> "online".equals(x.findElement(By.id("conn")).getAttribute("data-state")));
  }

  /** The text of the lines shown in `log`, in page order, as "seq:text". */
  private static List<String> lines(WebElement log) {
    return log.findElements(By.cssSelector("li.msg")).stream()
        .map(li -> li.getAttribute("data-seq") + ":" + li.findElement(By.cssSelector(".text")).getText())
        .collect(Collectors.toList());
  }

  private static void awaitLines(WebDriver d, By log, List<String> expected) {
    try {
      waiting(d).until(x -> lines(x.findElement(log)).equals(expected));
    } catch (org.openqa.selenium.TimeoutException e) {
      assertEquals(expected, lines(d.findElement(log)), "lines shown");
    }
  }

  private static void type(WebElement input, String text) {
    new WebDriverWait(((org.openqa.selenium.WrapsDriver) input).getWrappedDriver(), WAIT)
        .until(x -> input.isEnabled());
    input.sendKeys(text, Keys.ENTER);
  }

  private interface Body {
    void run() throws Exception;
  }

  /** Runs the test body; on failure saves each page's screenshot and console under target/browser/. */
  private void guarded(Body body) throws Exception {
    try {
      body.run();
    } catch (Throwable t) {
      Path dir = Path.of("target", "browser");
      Files.createDirectories(dir);
      for (int i = 0; i < drivers.size(); i++) {
        WebDriver d = drivers.get(i);
        String base = testName + "-" + i;
        try {
          Files.copy(((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(base + ".png"),
              StandardCopyOption.REPLACE_EXISTING);
          List<String> console = new ArrayList<>();
          console.add("url: " + d.getCurrentUrl());
          for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) console.add(e.toString());
          Files.write(dir.resolve(base + "-console.log"), console);
        } catch (RuntimeException | IOException e) {
          t.addSuppressed(e);
        }
      }
      System.err.println("browser screenshots and console logs: " + dir.toAbsolutePath());
      throw t;
    }
  }

  private static void screenshot(WebDriver d, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.copy(((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void studentAndTeacherChatThroughThePages() throws Exception {
    WebDriver student = browser();
    WebDriver teacher = browser();
    guarded(() -> {
      student.get(url("student.html"));
      signIn(student, "ada");
      student.findElement(By.id("join")).click();
      waiting(student).until(x -> "1".equals(x.findElement(By.id("queue-state")).getAttribute("data-position")));

      teacher.get(url("teacher.html"));
      signIn(teacher, "turing");
      waiting(teacher).until(x -> "1".equals(x.findElement(By.id("waiting")).getAttribute("data-waiting")));
      waiting(teacher).until(x -> !x.findElements(By.cssSelector("#online-list li[data-user=ada]")).isEmpty());
      teacher.findElement(By.id("claim")).click();
      WebElement pane = waiting(teacher).until(x -> x.findElement(By.cssSelector(".pane[data-student=ada]")));
      waiting(student).until(x -> x.findElement(By.id("chat")).isDisplayed());

      By studentLog = By.id("log");
      By teacherLog = By.cssSelector(".pane[data-student=ada] .log");
      type(pane.findElement(By.cssSelector("input.compose-text")), "Hi! What are you stuck on?");
      awaitLines(student, studentLog, List.of("1:Hi! What are you stuck on?"));
      type(student.findElement(By.id("text")), "Question 3, the integral.");
      awaitLines(teacher, teacherLog, List.of("1:Hi! What are you stuck on?", "2:Question 3, the integral."));
      type(pane.findElement(By.cssSelector("input.compose-text")), "Try substitution.");
      awaitLines(student, studentLog, List.of("1:Hi! What are you stuck on?", "2:Question 3, the integral.", "3:Try substitution."));
      type(student.findElement(By.id("text")), "Got it, thanks!");
      List<String> all = List.of("1:Hi! What are you stuck on?", "2:Question 3, the integral.", "3:Try substitution.",
          "4:Got it, thanks!");
      awaitLines(student, studentLog, all);
      awaitLines(teacher, teacherLog, all);

      // screenshots of the pages mid-chat, for the docs
      screenshot(student, Path.of("docs", "img", "student.png"));
      screenshot(teacher, Path.of("docs", "img", "teacher.png"));

      pane.findElement(By.cssSelector("button.end")).click();
      waiting(teacher).until(x -> "ended".equals(x.findElement(By.cssSelector(".pane[data-student=ada]")).getAttribute("data-state")));
      waiting(student).until(x -> "ended".equals(x.findElement(By.id("chat-state")).getAttribute("data-state")));
      assertEquals("Chat ended by the teacher.", student.findElement(By.id("chat-state")).getText());
      waiting(student).until(x -> x.findElement(By.id("again")).isDisplayed());
      awaitLines(student, studentLog, all);
      awaitLines(teacher, teacherLog, all);
    });
  }

  @Test
  void studentReloadMidChatResumesWithoutLostOrRepeatedLines() throws Exception {
    WebDriver student = browser();
    WebDriver teacher = browser();
    guarded(() -> {
      student.get(url("student.html"));
      signIn(student, "grace");
      student.findElement(By.id("join")).click();
      teacher.get(url("teacher.html"));
      signIn(teacher, "hopper");
      waiting(teacher).until(x -> "1".equals(x.findElement(By.id("waiting")).getAttribute("data-waiting")));
      teacher.findElement(By.id("claim")).click();
      WebElement input = waiting(teacher).until(x -> x.findElement(By.cssSelector(".pane[data-student=grace] input.compose-text")));
      By teacherLog = By.cssSelector(".pane[data-student=grace] .log");
      waiting(student).until(x -> x.findElement(By.id("chat")).isDisplayed());
      type(input, "one");
      awaitLines(student, By.id("log"), List.of("1:one"));
      type(student.findElement(By.id("text")), "two");
      awaitLines(teacher, teacherLog, List.of("1:one", "2:two"));

      // reload mid-chat; the teacher writes while the student's page is away
      ((JavascriptExecutor) student).executeScript("window.beforeReload = true; location.reload();");
      type(input, "three");
      waiting(student).until(x -> Boolean.TRUE.equals(((JavascriptExecutor) x).executeScript(
          "return window.beforeReload === undefined && !!window.officeHours;")));
      awaitLines(teacher, teacherLog, List.of("1:one", "2:two", "3:three"));
      waiting(student).until(x -> "online".equals(x.findElement(By.id("conn")).getAttribute("data-state")));
      List<String> three = List.of("1:one", "2:two", "3:three");
      awaitLines(student, By.id("log"), three);

      // and a dropped socket (no reload): the page reconnects by itself and catches up
      ((JavascriptExecutor) student).executeScript("window.officeHours.connection.drop();");
      type(input, "four");
      waiting(student).until(x -> Boolean.TRUE.equals(((JavascriptExecutor) x).executeScript(
          "return window.officeHours.connection.opens === 2 && window.officeHours.connection.status === 'online';")));
      type(student.findElement(By.id("text")), "five");
      List<String> five = List.of("1:one", "2:two", "3:three", "4:four", "5:five");
      awaitLines(student, By.id("log"), five);
      awaitLines(teacher, teacherLog, five);
      assertEquals("open", student.findElement(By.id("chat-state")).getAttribute("data-state"));
    });
  }
}
