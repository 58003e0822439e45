package io.officehours.web;

import static io.officehours.web.Browsers.awaitLines;
import static io.officehours.web.Browsers.script;
import static io.officehours.web.Browsers.signIn;
import static io.officehours.web.Browsers.type;
import static io.officehours.web.Browsers.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The student and teacher pages in a real headless Chromium against a real node: sign in, join,
 * take next, two lines each way, end; and a student reload mid-chat that resumes with no lost or
 * repeated line. On failure a screenshot and the browser console of each page go to
 * target/browser/; with -Dofficehours.screenshots=docs/img the main test refreshes the docs'
 * student.png and teacher.png.
 */
class BrowserChatIT extends NodeBrowserTest {

  @Override
  protected String[] nodeFlags() {
    // a grace period, so that a reloading student keeps its chat
    return new String[] {"--grace", "10s"};
  }


  @Test
  void studentAndTeacherChatThroughThePages() throws Exception {
    WebDriver student = browsers.open();
    WebDriver teacher = browsers.open();
    browsers.guarded(() -> {
      student.get(url("student.html"));
      signIn(student, "ada");
      student.findElement(By.id("join")).click();
      waiting(student).until(x -> "1".equals(x.findElement(By.id("queue-state")).getDomAttribute("data-position")));

      teacher.get(url("teacher.html"));
      signIn(teacher, "turing");
      waiting(teacher).until(x -> "1".equals(x.findElement(By.id("waiting")).getDomAttribute("data-waiting")));
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
      Browsers.docsScreenshot(student, "student.png");
      Browsers.docsScreenshot(teacher, "teacher.png");

      pane.findElement(By.cssSelector("button.end")).click();
      waiting(teacher).until(x -> "ended".equals(x.findElement(By.cssSelector(".pane[data-student=ada]")).getDomAttribute("data-state")));
      waiting(student).until(x -> "ended".equals(x.findElement(By.id("chat-state")).getDomAttribute("data-state")));
      assertEquals("Chat ended by the teacher.", student.findElement(By.id("chat-state")).getText());
      waiting(student).until(x -> x.findElement(By.id("again")).isDisplayed());
      awaitLines(student, studentLog, all);
      awaitLines(teacher, teacherLog, all);
    });
  }

  @Test
  void studentReloadMidChatResumesWithoutLostOrRepeatedLines() throws Exception {
    WebDriver student = browsers.open();
    WebDriver teacher = browsers.open();
    browsers.guarded(() -> {
      student.get(url("student.html"));
      signIn(student, "grace");
      student.findElement(By.id("join")).click();
      teacher.get(url("teacher.html"));
      signIn(teacher, "hopper");
      waiting(teacher).until(x -> "1".equals(x.findElement(By.id("waiting")).getDomAttribute("data-waiting")));
      teacher.findElement(By.id("claim")).click();
      WebElement input = waiting(teacher).until(x -> x.findElement(By.cssSelector(".pane[data-student=grace] input.compose-text")));
      By teacherLog = By.cssSelector(".pane[data-student=grace] .log");
      waiting(student).until(x -> x.findElement(By.id("chat")).isDisplayed());
      type(input, "one");
      awaitLines(student, By.id("log"), List.of("1:one"));
      type(student.findElement(By.id("text")), "two");
      awaitLines(teacher, teacherLog, List.of("1:one", "2:two"));

      // reload mid-chat; the teacher writes while the student's page is away
      script(student, "window.beforeReload = true; location.reload();");
      type(input, "three");
      Browsers.awaitScript(student, "return window.beforeReload === undefined && !!window.officeHours;");
      awaitLines(teacher, teacherLog, List.of("1:one", "2:two", "3:three"));
      Browsers.awaitOnline(student);
      List<String> three = List.of("1:one", "2:two", "3:three");
      awaitLines(student, By.id("log"), three);

      // and a dropped socket (no reload): the page reconnects by itself and catches up
      script(student, "window.officeHours.connection.drop();");
      type(input, "four");
      Browsers.awaitScript(student,
          "return window.officeHours.connection.opens === 2 && window.officeHours.connection.status === 'online';");
      type(student.findElement(By.id("text")), "five");
      List<String> five = List.of("1:one", "2:two", "3:three", "4:four", "5:five");
      awaitLines(student, By.id("log"), five);
      awaitLines(teacher, teacherLog, five);
      assertEquals("open", student.findElement(By.id("chat-state")).getDomAttribute("data-state"));
    });
  }
}
