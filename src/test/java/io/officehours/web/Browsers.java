package io.officehours.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WrapsDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browsers of one browser test: headless Chromium instances started with the flags this
 * machine needs (docs: /work/shared/ENVIRONMENT.md), each its own profile, so each page is its own
 * user. {@link #guarded} keeps the evidence of a failure: a screenshot and the console log of every
 * open page under target/browser/. Close it in {@code @AfterEach}.
 *
 * <p>The static helpers are the page vocabulary the tests share: sign in, read and await the lines
 * of a chat log, type a line.
 */
public final class Browsers implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Long enough for a slow start on a busy 2-core machine, short enough to fail fast. */
  public static final Duration WAIT = Duration.ofSeconds(10);
  public static final Dimension DESKTOP = new Dimension(1280, 800);
  /** Set to a folder (e.g. docs/img) to refresh the screenshots the docs show. */
  public static final String SCREENSHOTS_PROPERTY = "officehours.screenshots";
  private static final Path FAILURES = Path.of("target", "browser");

  private final String testName;
  private final List<WebDriver> drivers = new ArrayList<>();
  private final List<ChromeDriverService> services = new ArrayList<>();

  /** A runnable test body that may throw. */
  public interface Body {
    void run() throws Exception;
  }

  /** {@code testName} prefixes the failure files. */
  public Browsers(String testName) {
    this.testName = testName;
  }

  /** For {@code @BeforeAll}: fails with the install hint when Chromium or its driver is missing. */
  public static void requireChromium() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
          + ": apt-get install -y chromium chromium-driver (scripts/test.sh does it)");
    }
  }

  /** A new browser with a desktop-sized window. */
  public WebDriver open() {
    return open(DESKTOP);
  }

  /** A new browser (own process and profile) whose window has {@code size}. */
  public WebDriver open(Dimension size) {
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
        // without it Chromium resolves Google hosts at every start, which this machine cannot
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    WebDriver driver = new ChromeDriver(service, options);
    drivers.add(driver);
    driver.manage().window().setSize(size);
    return driver;
  }

  /** Runs the test body; on failure saves a screenshot and the console of every open page under target/browser/. */
  public void guarded(Body body) throws Exception {
    try {
      body.run();
    } catch (Throwable t) {
      saveEvidence(t);
      throw t;
    }
  }

  private void saveEvidence(Throwable failure) {
    try {
      Files.createDirectories(FAILURES);
    } catch (IOException e) {
      failure.addSuppressed(e);
      return;
    }
    for (int i = 0; i < drivers.size(); i++) {
      WebDriver d = drivers.get(i);
      List<String> windows;
      try {
        windows = new ArrayList<>(d.getWindowHandles());
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
        continue;
      }
      for (int w = 0; w < windows.size(); w++) {
        String base = testName + "-" + i + (windows.size() > 1 ? "-" + w : "");
        try {
          if (windows.size() > 1) d.switchTo().window(windows.get(w));
          screenshot(d, FAILURES.resolve(base + ".png"));
          List<String> console = new ArrayList<>();
          console.add("url: " + d.getCurrentUrl());
          // the browser log belongs to the whole browser: read it once, with its first window
          if (w == 0) for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) console.add(e.toString());
          Files.write(FAILURES.resolve(base + "-console.log"), console);
        } catch (RuntimeException | IOException e) {
          failure.addSuppressed(e);
        }
      }
    }
    System.err.println("browser screenshots and console logs: " + FAILURES.toAbsolutePath());
  }

  /** Quits every browser and its driver. */
  @Override
  public void close() {
    for (WebDriver d : drivers) {
      try {
        d.quit();
      } catch (RuntimeException e) {
        // the browser is gone already
      }
    }
    for (ChromeDriverService s : services) s.stop();
    drivers.clear();
    services.clear();
  }

  public static WebDriverWait waiting(WebDriver d) {
    return waiting(d, WAIT);
  }

  public static WebDriverWait waiting(WebDriver d, Duration timeout) {
    return new WebDriverWait(d, timeout, Duration.ofMillis(50));
  }

  /** Runs {@code js} in the page and returns its result. */
  public static Object script(WebDriver d, String js, Object... args) {
    return ((JavascriptExecutor) d).executeScript(js, args);
  }

  /** Waits until {@code js} (a {@code return ...} statement) gives true in the page. */
  public static void awaitScript(WebDriver d, String js, Object... args) {
    waiting(d).until(x -> Boolean.TRUE.equals(script(x, js, args)));
  }

  /** Waits until the element's attribute has {@code value}. */
  public static void awaitAttribute(WebDriver d, By element, String attribute, String value) {
    try {
      waiting(d).until(x -> value.equals(x.findElement(element).getDomAttribute(attribute)));
    } catch (TimeoutException e) {
      assertEquals(value, d.findElement(element).getDomAttribute(attribute), attribute + " of " + element);
    }
  }

  public static void screenshot(WebDriver d, Path file) throws IOException {
    if (file.getParent() != null) Files.createDirectories(file.getParent());
    // bytes, not a copy of the driver's temp file, so the image gets ordinary permissions
    Files.write(file, ((TakesScreenshot) d).getScreenshotAs(OutputType.BYTES));
  }

  /** The folder named by -Dofficehours.screenshots, if any. */
  public static Optional<Path> docsScreenshotDir() {
    String dir = System.getProperty(SCREENSHOTS_PROPERTY, "");
    return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
  }

  /**
   * Saves a screenshot for the docs as {@code fileName} in the folder -Dofficehours.screenshots
   * names, and does nothing without it: an ordinary test run must not rewrite committed images.
   */
  public static void docsScreenshot(WebDriver d, String fileName) throws IOException {
    Optional<Path> dir = docsScreenshotDir();
    if (dir.isPresent()) screenshot(d, dir.get().resolve(fileName));
  }

  /** Signs in on the sign-in form of a student or teacher page and waits until it is online. */
  public static void signIn(WebDriver d, String name) {
    waiting(d).until(x -> x.findElement(By.id("name")).isDisplayed());
    d.findElement(By.id("name")).sendKeys(name, Keys.ENTER);
    awaitOnline(d);
  }

  /** Waits until the page's connection indicator says online. */
  public static void awaitOnline(WebDriver d) {
    waiting(d).until(x -> "online".equals(x.findElement(By.id("conn")).getDomAttribute("data-state")));
  }

  /** The lines shown in {@code log}, in page order, as "seq:text". */
  public static List<String> lines(WebElement log) {
    return log.findElements(By.cssSelector("li.msg")).stream()
        .map(li -> li.getDomAttribute("data-seq") + ":" + li.findElement(By.cssSelector(".text")).getText())
        .collect(Collectors.toList());
  }

  /** Waits until {@code log} shows exactly {@code expected}; fails with the difference if it never does. */
  public static void awaitLines(WebDriver d, By log, List<String> expected) {
    try {
      waiting(d).until(x -> lines(x.findElement(log)).equals(expected));
    } catch (TimeoutException e) {
      assertEquals(expected, lines(d.findElement(log)), "lines shown");
    }
  }

  /** Types a line and Enter once the input is enabled (it is disabled while the previous line is sent). */
  public static void type(WebElement input, String text) {
    waiting(((WrapsDriver) input).getWrappedDriver()).until(x -> input.isEnabled());
    input.sendKeys(text, Keys.ENTER);
  }
}
