package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-socket limits of the gateway, each on a node configured to make it easy to reach. Where
 * elapsed time is the behaviour (ping timeout, bucket refill) the test waits on a Vert.x timer, and
 * only that long.
 */
@DisplayName("Per-socket limits: ping timeout, rate, registrations, text length")
class LimitsTest {

  private static void delay(TestNode node, long millis) {
    TestNode.await(node.vertx.timer(millis));
  }

  @Test
  @Timeout(15)
  @DisplayName("With --ping-timeout 1s a silent socket is closed and cleaned up, while one that pings every 300 ms stays open")
  void pingTimeout() {
    try (TestNode node = TestNode.start("--ping-timeout", "1s")) {
      BridgeClient watcher = node.connect("pt-watcher", "admin");
      long pinger = node.vertx.setPeriodic(300, t -> watcher.ping());
      Pushes presence = new Pushes();
      watcher.register("tutor.presence", presence::add);
      presence.await("presence.state");

      long started = System.nanoTime();
      BridgeClient silent = node.connect("pt-silent", "student");
      Waits.within(silent.closeFuture(), 5, "the close of the silent socket");
      long closedAfter = (System.nanoTime() - started) / 1_000_000;
      assertTrue(closedAfter >= 900 && closedAfter < 3000, "closed after " + closedAfter + " ms");
      assertEquals((short) 1001, silent.closeStatus(), "going away: ping timeout");
      presence.await(d -> "presence.diff".equals(d.getString("type")) && d.getJsonObject("leaves").containsKey("pt-silent"));

      // the pinging socket is older than the silent one: give it more than two timeouts in all
      long remaining = 2500 - (System.nanoTime() - started) / 1_000_000;
      if (remaining > 0) delay(node, remaining);
      assertFalse(watcher.isClosed(), "the pinging socket was closed");
      assertEquals("pt-watcher", TestNode.await(watcher.request("tutor.me", new JsonObject())).getString("userId"));
      node.vertx.cancelTimer(pinger);
    }
  }

  @Test
  @Timeout(15)
  @DisplayName("With --rate-burst 5 --rate 1 a burst of 20 requests gets 429s on their reply addresses; the socket works again once refilled")
  void rateLimit() {
    try (TestNode node = TestNode.start("--rate-burst", "5", "--rate", "1")) {
      BridgeClient client = node.connect("rl1", "student");
      List<Future<JsonObject>> burst = new ArrayList<>();
      for (int i = 0; i < 20; i++) burst.add(client.request("tutor.me", new JsonObject()));
      TestNode.await(Future.join(burst).otherwiseEmpty());

      int answered = 0;
      int limited = 0;
      for (Future<JsonObject> f : burst) {
        if (f.succeeded()) {
          answered++;
        } else {
          assertEquals(429, assertInstanceOf(BridgeError.class, f.cause()).code(), f.cause().toString());
          limited++;
        }
      }
      assertTrue(answered >= 5 && answered <= 6, "the burst allowance was served: " + answered);
      assertEquals(20, answered + limited);
      assertTrue(client.strayErrors().isEmpty(), "every 429 answered its request: " + client.strayErrors());

      BridgeClient other = node.connect("rl2", "student");
      assertEquals("rl2", TestNode.await(other.request("tutor.me", new JsonObject())).getString("userId"), "the limit is per socket");

      delay(node, 1100);
      assertFalse(client.isClosed());
      assertEquals("rl1", TestNode.await(client.request("tutor.me", new JsonObject())).getString("userId"), "refilled");
    }
  }

  @Test
  @Timeout(15)
  @DisplayName("With --rate-burst 5 --rate 1 a socket that keeps sending malformed frames gets 400s, then is closed")
  void malformedFloodClosed() {
    try (TestNode node = TestNode.start("--rate-burst", "5", "--rate", "1")) {
      BridgeClient client = node.connect("rl3", "student");
      for (int i = 0; i < 10; i++) client.writeText("not json " + i);
      Waits.within(client.closeFuture(), 5, "the close of the flooding socket");
      assertEquals((short) 1008, client.closeStatus());
      List<JsonObject> errors = client.strayErrors();
      assertTrue(errors.size() >= 5 && errors.size() <= 6, "the burst allowance got 400s: " + errors);
      errors.forEach(e -> assertEquals(400, e.getInteger("failureCode")));
      assertEquals("rl4", TestNode.await(node.connect("rl4", "student").request("tutor.me", new JsonObject())).getString("userId"));
    }
  }

  @Test
  @Timeout(15)
  @DisplayName("With --max-registrations 2 a third distinct register gets a 429 err on its address and carries no pushes; unregister frees a slot")
  void registrationsPerSocket() {
    try (TestNode node = TestNode.start("--max-registrations", "2")) {
      BridgeClient teacher = node.connect("mr-t", "teacher");
      Pushes status = new Pushes();
      Pushes presence = new Pushes();
      Pushes inbox = new Pushes();
      teacher.register("tutor.status", status::add);
      teacher.register("tutor.presence", presence::add);
      status.await("status");
      presence.await("presence.state");

      Promise<BridgeError> refused = Promise.promise();
      teacher.register("tutor.user.mr-t", inbox::add, refused::tryComplete);
      assertEquals(429, Waits.within(refused.future(), 5, "the refusal of a third registration").code());

      BridgeClient student = node.connect("mr-s", "student");
      TestNode.await(student.request("tutor.student.ready", new JsonObject()));
      JsonObject chat = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
      // chat.started is pushed before the claim is answered: had the inbox been registered, it would be here
      assertTrue(inbox.all().isEmpty(), "a refused registration carried pushes: " + inbox.all());

      teacher.unregister("tutor.user.mr-t");
      teacher.unregister("tutor.status");
      Promise<BridgeError> second = Promise.promise();
      teacher.register("tutor.user.mr-t", inbox::add, second::tryComplete);
      TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chat.getString("chatId")).put("text", "hello")));
      JsonObject line = inbox.await("chat.message");
      assertEquals("hello", line.getString("text"));
      assertFalse(second.future().isComplete(), "the registration in the freed slot was refused: " + second.future().cause());
      assertTrue(inbox.all().stream().noneMatch(p -> "chat.started".equals(p.getString("type"))),
          "the refused registration carried chat.started: " + inbox.all());
    }
  }

  @Test
  @Timeout(15)
  @DisplayName("In an open chat a line of 4001 characters is refused with 413 and takes no seq; 4000 characters are accepted")
  void textLength() {
    try (TestNode node = TestNode.start()) {
      BridgeClient student = node.connect("tl-s", "student");
      BridgeClient teacher = node.connect("tl-t", "teacher");
      TestNode.await(student.request("tutor.student.ready", new JsonObject()));
      String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");

      Future<JsonObject> tooLong = teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "x".repeat(4001)));
      try {
        TestNode.await(tooLong);
      } catch (BridgeError e) {
        // checked below
      }
      assertTrue(tooLong.failed(), "a 4001-character line was accepted");
      assertEquals(413, assertInstanceOf(BridgeError.class, tooLong.cause()).code());

      Future<JsonObject> studentTooLong = student.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "y".repeat(5000)));
      try {
        TestNode.await(studentTooLong);
      } catch (BridgeError e) {
        // checked below
      }
      assertEquals(413, assertInstanceOf(BridgeError.class, studentTooLong.cause()).code());

      JsonObject ok = TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "x".repeat(4000))));
      assertEquals(1, ok.getLong("seq"), "the refused lines took no seq");
    }
  }
}
