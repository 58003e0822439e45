package io.officehours.web;

import static io.officehours.web.Browsers.awaitAttribute;
import static io.officehours.web.Browsers.awaitLines;
import static io.officehours.web.Browsers.signIn;
import static io.officehours.web.Browsers.type;
import static io.officehours.web.Browsers.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * One teacher page with three chats at once, each student in its own browser: every line lands in
 * its own pane and its own student's page only, a pane that gets a line while another pane has the
 * focus is marked unread until it is focused, and ending one chat leaves the other two working.
 */
@DisplayName("A teacher page with three students at once")
@Timeout(120)
class TeacherDeskIT extends NodeBrowserTest {

  private static final List<String> STUDENTS = List.of("amy", "ben", "cat");


  private static By pane(String student) {
    return By.cssSelector(".pane[data-student=" + student + "]");
  }

  private static By paneLog(String student) {
    return By.cssSelector(".pane[data-student=" + student + "] .log");
  }

  private static WebElement paneInput(WebDriver teacher, String student) {
    return teacher.findElement(By.cssSelector(".pane[data-student=" + student + "] input.compose-text"));
  }

  private static boolean unread(WebDriver teacher, String student) {
    WebElement p = teacher.findElement(pane(student));
    return p.getDomAttribute("class").contains("has-unread") && p.findElement(By.cssSelector(".unread")).isDisplayed();
  }

  /** Waits until exactly the panes of {@code marked} show an unread marker, and checks the badge counts. */
  private static void awaitUnread(WebDriver teacher, Map<String, Integer> marked) {
    waiting(teacher).until(x -> STUDENTS.stream().allMatch(s -> unread(x, s) == marked.containsKey(s)));
    for (var e : marked.entrySet()) {
      assertEquals(e.getValue() + " new", teacher.findElement(By.cssSelector(".pane[data-student=" + e.getKey() + "] .unread")).getText());
    }
  }

  @Test
  @DisplayName("three panes side by side, lines only where they belong, unread markers, and one end leaves two chats")
  void threeChatsAtOnce() throws Exception {
    List<WebDriver> students = new ArrayList<>();
    for (int i = 0; i < STUDENTS.size(); i++) students.add(browsers.open());
    WebDriver teacher = browsers.open();
    browsers.guarded(() -> {
      for (int i = 0; i < STUDENTS.size(); i++) {
        WebDriver s = students.get(i);
        s.get(url("student.html"));
        signIn(s, STUDENTS.get(i));
        s.findElement(By.id("join")).click();
        // one at a time, so the queue order (and so the pane order) is known
        awaitAttribute(s, By.id("queue-state"), "data-position", String.valueOf(i + 1));
      }
      teacher.get(url("teacher.html"));
      signIn(teacher, "tess");
      awaitAttribute(teacher, By.id("waiting"), "data-waiting", "3");
      for (String student : STUDENTS) {
        teacher.findElement(By.id("claim")).click();
        waiting(teacher).until(x -> !x.findElements(pane(student)).isEmpty());
      }
      for (WebDriver s : students) waiting(s).until(x -> x.findElement(By.id("text")).isDisplayed());

      List<Rectangle> boxes = STUDENTS.stream().map(s -> teacher.findElement(pane(s)).getRect()).toList();
      for (int i = 1; i < boxes.size(); i++) {
        assertEquals(boxes.get(0).getY(), boxes.get(i).getY(), "the panes share one row");
        assertTrue(boxes.get(i).getX() >= boxes.get(i - 1).getX() + boxes.get(i - 1).getWidth(),
            "pane " + i + " is right of pane " + (i - 1) + ": " + boxes);
      }

      // interleaved lines, each chat numbering its own
      Map<String, List<String>> expected = Map.of(
          "amy", new ArrayList<>(), "ben", new ArrayList<>(), "cat", new ArrayList<>());
      type(paneInput(teacher, "ben"), "ben, which exercise?");
      expected.get("ben").add("1:ben, which exercise?");
      type(studentInput(students, "amy"), "amy here: limits");
      expected.get("amy").add("1:amy here: limits");
      type(studentInput(students, "cat"), "cat here: vectors");
      expected.get("cat").add("1:cat here: vectors");
      // the teacher's focus stayed in ben's pane: amy's and cat's got a line meanwhile
      awaitUnread(teacher, Map.of("amy", 1, "cat", 1));
      type(studentInput(students, "ben"), "number 4");
      expected.get("ben").add("2:number 4");
      type(studentInput(students, "cat"), "the cross product");
      expected.get("cat").add("2:the cross product");
      awaitLinesEverywhere(teacher, students, expected);
      awaitUnread(teacher, Map.of("amy", 1, "cat", 2));

      // focusing a pane clears its marker only
      paneInput(teacher, "amy").click();
      awaitUnread(teacher, Map.of("cat", 2));
      type(paneInput(teacher, "amy"), "amy: what is the limit of sin x / x?");
      expected.get("amy").add("2:amy: what is the limit of sin x / x?");
      type(studentInput(students, "ben"), "ben again");
      expected.get("ben").add("3:ben again");
      awaitUnread(teacher, Map.of("ben", 1, "cat", 2));
      type(paneInput(teacher, "cat"), "cat: |a||b| sin θ");
      expected.get("cat").add("3:cat: |a||b| sin θ");
      awaitUnread(teacher, Map.of("ben", 1));
      awaitLinesEverywhere(teacher, students, expected);

      // ending ben's chat leaves amy's and cat's open and working
      teacher.findElement(By.cssSelector(".pane[data-student=ben] button.end")).click();
      awaitAttribute(teacher, pane("ben"), "data-state", "ended");
      awaitAttribute(studentPage(students, "ben"), By.id("chat-state"), "data-state", "ended");
      assertFalse(teacher.findElement(By.cssSelector(".pane[data-student=ben] form.compose")).isDisplayed(),
          "an ended pane has no compose box");
      type(studentInput(students, "amy"), "1, thanks");
      expected.get("amy").add("3:1, thanks");
      type(paneInput(teacher, "cat"), "anything else?");
      expected.get("cat").add("4:anything else?");
      type(studentInput(students, "cat"), "no, bye");
      expected.get("cat").add("5:no, bye");
      awaitLinesEverywhere(teacher, students, expected);
      for (String open : List.of("amy", "cat")) {
        assertEquals("open", teacher.findElement(pane(open)).getDomAttribute("data-state"));
        assertEquals("open", studentPage(students, open).findElement(By.id("chat-state")).getDomAttribute("data-state"));
      }
      assertTrue(teacher.findElement(By.id("claim")).isEnabled(), "two open chats leave room to take another");
    });
  }

  private static WebDriver studentPage(List<WebDriver> students, String name) {
    return students.get(STUDENTS.indexOf(name));
  }

  private static WebElement studentInput(List<WebDriver> students, String name) {
    return studentPage(students, name).findElement(By.id("text"));
  }

  /** Each chat's lines, exactly, in its teacher pane and on its student's page: a misrouted line fails both. */
  private static void awaitLinesEverywhere(WebDriver teacher, List<WebDriver> students, Map<String, List<String>> expected) {
    for (String s : STUDENTS) {
      awaitLines(teacher, paneLog(s), expected.get(s));
      awaitLines(studentPage(students, s), By.id("log"), expected.get(s));
    }
  }
}
