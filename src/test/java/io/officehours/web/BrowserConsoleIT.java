package io.officehours.web;

import static io.officehours.web.Browsers.awaitLines;
import static io.officehours.web.Browsers.script;
import static io.officehours.web.Browsers.signIn;
import static io.officehours.web.Browsers.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The operators' console in a real headless Chromium against a real node, next to a student page
 * and a teacher on a bridge client: the console lists the node, the people online and the chat,
 * shows the chat's log and its traffic (filtered, paused, resumed), and sends a notice the student
 * page displays. With -Dofficehours.screenshots=docs/img it refreshes docs/img/console.png mid-chat.
 */
@DisplayName("The event-bus console watches a chat and reaches the student's page")
class BrowserConsoleIT extends NodeBrowserTest {


  private static List<WebElement> feedRows(WebDriver d) {
    return d.findElements(By.cssSelector("#feed li.tap"));
  }

  private static By feedRow(String address) {
    return By.cssSelector("#feed li.tap[data-address='" + address + "']");
  }

  @Test
  @DisplayName("the console shows the chat's traffic and log, filters and pauses the feed, and sends a notice the student sees")
  void consoleWatchesAChat() throws Exception {
    WebDriver console = browsers.open(new Dimension(1280, 1100));
    WebDriver student = browsers.open();
    browsers.guarded(() -> {
      console.get(url("console.html"));
      signIn(console, "ops");
      waiting(console).until(x -> !x.findElements(By.cssSelector("#nodes tbody tr[data-node='" + node.config.nodeId() + "']")).isEmpty());

      student.get(url("student.html"));
      signIn(student, "ada");
      student.findElement(By.id("join")).click();
      waiting(student).until(x -> "1".equals(x.findElement(By.id("queue-state")).getDomAttribute("data-position")));
      waiting(console).until(x -> !x.findElements(By.cssSelector("#presence-list li[data-user=ada]")).isEmpty());

      BridgeClient teacher = node.connect("turing", "teacher");
      Pushes teacherInbox = new Pushes();
      teacher.register("tutor.user.turing", teacherInbox::add);
      String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
      TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "Hi! What are you stuck on?")));
      waiting(student).until(x -> x.findElement(By.id("chat")).isDisplayed());
      Browsers.type(student.findElement(By.id("text")), "Question 3, the integral.");
      List<String> two = List.of("1:Hi! What are you stuck on?", "2:Question 3, the integral.");
      awaitLines(student, By.id("log"), two);

      // the chat in progress, and its log
      WebElement open = waiting(console).until(x -> x.findElement(By.cssSelector("#chats li[data-chat-id='" + chatId + "'] button")));
      open.click();
      awaitLines(console, By.id("chat-log"), two);

      // its traffic: the requests in, the pushes out to both inboxes, with node, size and preview
      waiting(console).until(x -> !x.findElements(feedRow("tutor.chat.send")).isEmpty());
      waiting(console).until(x -> !x.findElements(feedRow("tutor.user.ada")).isEmpty());
      waiting(console).until(x -> x.findElements(feedRow("tutor.chat.send")).stream()
          .anyMatch(li -> "in".equals(li.getDomAttribute("data-direction")) && li.getText().contains("Question 3, the integral.")));
      WebElement push = console.findElement(feedRow("tutor.user.ada"));
      assertEquals(node.config.nodeId(), push.getDomAttribute("data-node"));
      assertTrue(push.findElement(By.cssSelector(".size")).getText().matches("\\d+ B.*"), push.getText());
      Browsers.docsScreenshot(console, "console.png");

      // the filter keeps only matching addresses
      console.findElement(By.id("filter")).sendKeys("tutor.user.");
      waiting(console).until(x -> feedRows(x).stream().allMatch(li -> li.getDomAttribute("data-address").contains("tutor.user.")));
      assertFalse(feedRows(console).isEmpty());
      int before = console.findElements(feedRow("tutor.user.ada")).size();

      // paused, the feed does not change while traffic goes on
      console.findElement(By.id("pause")).click();
      assertEquals("true", console.findElement(By.id("pause")).getDomAttribute("aria-pressed"));
      String frozen = console.findElement(By.id("feed")).getText();
      TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "Try substitution.")));
      awaitLines(student, By.id("log"), List.of("1:Hi! What are you stuck on?", "2:Question 3, the integral.", "3:Try substitution."));
      Browsers.awaitScript(console, "return window.officeHours.feed.missed > 0;");
      assertEquals(frozen, console.findElement(By.id("feed")).getText(), "the paused feed changed");
      assertTrue(console.findElement(By.id("tap-stats")).getText().contains("paused"));

      // resumed, it shows what came meanwhile
      console.findElement(By.id("pause")).click();
      waiting(console).until(x -> x.findElements(feedRow("tutor.user.ada")).size() > before);
      awaitLines(console, By.id("chat-log"), List.of("1:Hi! What are you stuck on?", "2:Question 3, the integral.", "3:Try substitution."));

      // the send form publishes a notice to the student's inbox, with the keyboard only
      console.findElement(By.id("send-body")).sendKeys("{\"type\": \"notice\", \"text\": \"The lab closes at 6 pm.\"}");
      console.findElement(By.id("send-publish")).click();
      console.findElement(By.id("send-address")).sendKeys("tutor.user.ada", Keys.ENTER);
      waiting(console).until(x -> "ok".equals(x.findElement(By.id("send-result")).getDomAttribute("data-state")));
      assertTrue(console.findElement(By.id("send-result")).getText().contains("\"published\": true"));
      WebElement notice = waiting(student).until(x -> {
        WebElement n = x.findElement(By.id("notice"));
        return n.isDisplayed() ? n : null;
      });
      assertEquals("The lab closes at 6 pm.", notice.findElement(By.cssSelector(".notice-text")).getText());
      assertEquals("ops", notice.findElement(By.cssSelector(".notice-from")).getText());

      // a request shows its reply, a failure its explanation
      console.findElement(By.id("send-publish")).click();
      WebElement address = console.findElement(By.id("send-address"));
      address.clear();
      address.sendKeys("nobody.listens", Keys.ENTER);
      waiting(console).until(x -> "error".equals(x.findElement(By.id("send-result")).getDomAttribute("data-state")));
      assertTrue(console.findElement(By.id("send-result")).getText().contains("NO_HANDLERS"),
          console.findElement(By.id("send-result")).getText());

      // 360 px wide: one column, nothing wider than the screen
      console.manage().window().setSize(new Dimension(360, 800));
      Browsers.awaitScript(console, "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;");
      assertTrue((Boolean) script(console, "return document.querySelector('#send-section').getBoundingClientRect().width <= window.innerWidth;"));
    });
  }
}
