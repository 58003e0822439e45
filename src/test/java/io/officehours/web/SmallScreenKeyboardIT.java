package io.officehours.web;

import static io.officehours.web.Browsers.awaitAttribute;
import static io.officehours.web.Browsers.awaitLines;
import static io.officehours.web.Browsers.awaitOnline;
import static io.officehours.web.Browsers.script;
import static io.officehours.web.Browsers.waiting;
import static io.officehours.web.PageChecks.assertFocusVisible;
import static io.officehours.web.PageChecks.assertPageQuality;
import static io.officehours.web.PageChecks.assertReachable;
import static io.officehours.web.PageChecks.focused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Both pages on a 360 px wide phone, driven by the keyboard alone (keys go to whatever has the
 * focus; nothing is clicked): sign in, join, take the student, a line each way, end. In every state
 * on the way: no sideways scrolling, every shown control has an accessible name, all text reaches
 * WCAG AA contrast, and the focused control shows a ring.
 */
@DisplayName("The pages at 360 px, by keyboard alone: they fit, name their controls, show focus and read well")
@Timeout(120)
class SmallScreenKeyboardIT extends NodeBrowserTest {

  static final Dimension PHONE = new Dimension(360, 740);
  private static final int MAX_TABS = 12;


  /** Keys to the focused element, as a keyboard would send them. */
  private static void keys(WebDriver d, CharSequence... keys) {
    new Actions(d).sendKeys(keys).perform();
  }

  /** Presses {@code key} (Tab or Shift+Tab) until the focused element matches {@code css}. */
  private static void tabTo(WebDriver d, CharSequence key, String css) {
    for (int i = 0; i < MAX_TABS; i++) {
      if (Boolean.TRUE.equals(script(d, "return document.activeElement.matches(arguments[0]);", css))) return;
      keys(d, key);
    }
    throw new AssertionError("no " + css + " within " + MAX_TABS + " tabs; focus on " + focused(d));
  }

  private static void awaitFocus(WebDriver d, String css) {
    waiting(d).until(x -> Boolean.TRUE.equals(script(x, "return document.activeElement.matches(arguments[0]);", css)));
  }

  @Test
  @DisplayName("sign in, join, take, chat and end at 360 x 740 with Tab and Enter only")
  void phoneWidthByKeyboard() throws Exception {
    WebDriver student = browsers.open(PHONE);
    WebDriver teacher = browsers.open(PHONE);
    browsers.guarded(() -> {
      assertTrue(((Number) script(student, "return window.innerWidth;")).intValue() <= PHONE.getWidth(),
          "the window is really phone-sized");

      student.get(url("student.html"));
      awaitFocus(student, "#name");
      assertPageQuality(student, "student sign-in");
      keys(student, "kim");
      tabTo(student, Keys.TAB, "#signin-form button[type=submit]");
      assertFocusVisible(student, "student sign-in button");
      keys(student, Keys.ENTER);
      awaitOnline(student);
      awaitFocus(student, "#join");
      assertFocusVisible(student, "student join button");
      assertPageQuality(student, "student lobby");
      keys(student, Keys.ENTER);
      awaitAttribute(student, By.id("queue-state"), "data-position", "1");
      assertEquals("queue-state", focused(student), "after joining, the focus is on the queue place, not lost");
      assertPageQuality(student, "student waiting");

      teacher.get(url("teacher.html"));
      awaitFocus(teacher, "#name");
      assertPageQuality(teacher, "teacher sign-in");
      keys(teacher, "lee", Keys.ENTER);
      awaitOnline(teacher);
      awaitAttribute(teacher, By.id("waiting"), "data-waiting", "1");
      awaitFocus(teacher, "#claim");
      assertFocusVisible(teacher, "teacher claim button");
      assertPageQuality(teacher, "teacher desk");
      keys(teacher, Keys.ENTER);
      awaitFocus(teacher, ".pane[data-student=kim] input.compose-text");
      awaitFocus(student, "#text");

      By teacherLog = By.cssSelector(".pane[data-student=kim] .log");
      List<String> expected = new ArrayList<>();
      keys(teacher, "Hello kim, what is it?", Keys.ENTER);
      expected.add("1:Hello kim, what is it?");
      awaitLines(student, By.id("log"), expected);
      // a long unbroken word must wrap, not widen the page
      keys(student, "The proof of lemma_two_point_three_about_convergence_of_series", Keys.ENTER);
      expected.add("2:The proof of lemma_two_point_three_about_convergence_of_series");
      awaitLines(teacher, teacherLog, expected);
      awaitLines(student, By.id("log"), expected);
      awaitFocus(student, "#text");
      assertFocusVisible(student, "student message box");
      assertReachable(student, student.findElement(By.id("text")), "the student's message box");
      assertReachable(student, student.findElement(By.cssSelector("#compose button[type=submit]")), "the student's Send button");
      assertReachable(teacher, teacher.findElement(By.cssSelector(".pane[data-student=kim] input.compose-text")), "the teacher's message box");
      assertReachable(teacher, teacher.findElement(By.cssSelector(".pane[data-student=kim] .compose button[type=submit]")), "the teacher's Send button");
      assertReachable(teacher, teacher.findElement(By.cssSelector(".pane[data-student=kim] button.end")), "the End chat button");
      assertPageQuality(student, "student chat");
      assertPageQuality(teacher, "teacher chat");

      tabTo(teacher, Keys.chord(Keys.SHIFT, Keys.TAB), ".pane[data-student=kim] button.end");
      assertFocusVisible(teacher, "End chat button");
      keys(teacher, Keys.ENTER);
      awaitAttribute(teacher, By.cssSelector(".pane[data-student=kim]"), "data-state", "ended");
      awaitFocus(teacher, ".pane[data-student=kim] button.close");
      awaitAttribute(student, By.id("chat-state"), "data-state", "ended");
      awaitFocus(student, "#again");
      assertPageQuality(student, "student after the end");
      assertPageQuality(teacher, "teacher after the end");
      keys(teacher, Keys.ENTER);
      waiting(teacher).until(x -> x.findElements(By.cssSelector(".pane[data-student=kim]")).isEmpty());
      awaitFocus(teacher, "#claim");
    });
  }

  @Test
  @DisplayName("the error and reconnecting texts read well too")
  void messageTextsReadWell() throws Exception {
    WebDriver student = browsers.open(PHONE);
    browsers.guarded(() -> {
      student.get(url("student.html"));
      awaitFocus(student, "#name");
      // a name the server refuses is caught on the page: its error line shows
      keys(student, "!!!", Keys.ENTER);
      waiting(student).until(x -> !x.findElement(By.id("signin-error")).getText().isBlank());
      PageChecks.assertTextContrast(student, "student sign-in with an error");
      keys(student, Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "ivy", Keys.ENTER);
      awaitOnline(student);
      // the indicator while a connection comes back
      script(student, "window.officeHours.connection.backoff = {min: 3000, max: 3000, jitter: 0};"
          + "window.officeHours.connection.drop();");
      awaitAttribute(student, By.id("conn"), "data-state", "reconnecting");
      assertPageQuality(student, "student reconnecting");
      awaitOnline(student);
    });
  }
}
