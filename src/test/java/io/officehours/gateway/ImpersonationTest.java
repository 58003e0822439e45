package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.NodeTest;
import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.awaitility.Awaitility;
import java.time.Duration;

@DisplayName("Identity comes only from the token: nobody can act or listen as somebody else")
class ImpersonationTest extends NodeTest {

  private static int failureCode(Future<?> request) {
    try {
      Object reply = TestNode.await(request);
      return fail("expected an err frame, got the reply " + reply);
    } catch (BridgeError e) {
      return e.code();
    }
  }

  private static JsonObject ok(BridgeClient client, String address, JsonObject body) {
    return TestNode.await(client.request(address, body));
  }

  /** Registers an address that must be refused; returns the refusal's failure code. */
  private static int refusedRegistration(BridgeClient client, String address, List<JsonObject> received) {
    Promise<BridgeError> refusal = Promise.promise();
    client.register(address, received::add, refusal::tryComplete);
    return TestNode.await(refusal.future()).code();
  }

  @Test
  @Timeout(20)
  @DisplayName("registering another user's inbox is refused with 403 and none of that user's pushes arrive")
  void foreignInbox() throws InterruptedException {
    BridgeClient spy = node.connect("s1", "student");
    List<JsonObject> leaked = new CopyOnWriteArrayList<>();
    assertEquals(403, refusedRegistration(spy, "tutor.user.s2", leaked));
    assertEquals(403, refusedRegistration(spy, "tutor.user.t1", leaked));
    assertEquals(403, refusedRegistration(spy, "tutor.user.s1.x", leaked), "a longer name is another inbox");
    assertEquals(403, refusedRegistration(spy, "tutor.internal.deliver", leaked), "the internal fan-out");
    Pushes own = new Pushes();
    spy.register("tutor.user.s1", own::add);

    BridgeClient victim = node.connect("s2", "student");
    Pushes victimPushes = new Pushes();
    victim.register("tutor.user.s2", victimPushes::add);
    BridgeClient teacher = node.connect("t1", "teacher");
    ok(victim, "tutor.student.ready", new JsonObject());
    String chatId = ok(teacher, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat").getString("chatId");
    ok(teacher, "tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "private"));
    ok(teacher, "tutor.chat.end", new JsonObject().put("chatId", chatId));
    victimPushes.await("chat.ended");

    // the spy's socket is written by the same fan-out at the same time: nothing may arrive for a while
    Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
      assertEquals(List.of(), leaked, "pushes of other users reached the spy");
      assertEquals(List.of(), own.all(), "the spy's own inbox got nothing either");
    });
  }

  @Test
  @Timeout(20)
  @DisplayName("userId, from, role or headers in a request change nothing: the caller is the token's sub")
  void bodyCannotClaimAnIdentity() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient s2 = node.connect("s2", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    Pushes teacherInbox = new Pushes();
    t1.register("tutor.user.t1", teacherInbox::add);

    assertEquals("s1", ok(s1, "tutor.me", new JsonObject().put("userId", "t1").put("role", "teacher")).getString("userId"));
    assertEquals("student", ok(s1, "tutor.me", new JsonObject().put("userId", "t1").put("role", "teacher")).getString("role"));
    assertEquals(1, ok(s1, "tutor.student.ready", new JsonObject().put("userId", "s2")).getInteger("position"));
    assertNull(ok(s2, "tutor.me", new JsonObject()).getValue("position"), "s2 was not queued by s1's body");
    assertEquals(403, failureCode(s2.request("tutor.teacher.claim", new JsonObject().put("userId", "t1").put("role", "teacher"))),
        "a student does not become a teacher by saying so");

    // headers on a bridge frame are ignored: they cannot carry the caller either
    Pushes errors = new Pushes();
    s2.errorHandler(errors::add);
    s2.writeFrame(new JsonObject().put("type", "send").put("address", "tutor.teacher.claim").put("body", new JsonObject())
        .put("replyAddress", "forged.1")
        .put("headers", new JsonObject().put("oh-user", "t1").put("oh-role", "teacher").put("oh-ref", "x")));
    assertEquals(403, errors.await(f -> "forged.1".equals(f.getString("address"))).getInteger("failureCode"));
    assertEquals(1, ok(s1, "tutor.me", new JsonObject()).getInteger("position"), "the forged claim took nobody");

    JsonObject chat = ok(t1, "tutor.teacher.claim", new JsonObject().put("userId", "t2").put("teacherId", "t2"))
        .getJsonObject("chat");
    assertEquals("t1", chat.getString("teacherId"));
    assertEquals("s1", chat.getString("studentId"));
    String chatId = chat.getString("chatId");

    JsonObject sent = ok(s1, "tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "hi")
        .put("from", "t1").put("userId", "t1"));
    JsonObject line = teacherInbox.await(p -> "chat.message".equals(p.getString("type")));
    assertEquals("s1", line.getString("from"), "the push names the token's sub");
    assertEquals(sent.getLong("seq"), line.getLong("seq"));
    JsonObject stored = ok(t1, "tutor.chat.history", new JsonObject().put("chatId", chatId))
        .getJsonArray("messages").getJsonObject(0);
    assertEquals("s1", stored.getString("from"), "the stored line names the token's sub");
    assertEquals("hi", stored.getString("text"));

    assertEquals(403, failureCode(s1.request("tutor.chat.end", new JsonObject().put("chatId", chatId)
        .put("userId", "t1").put("by", "t1"))), "a student cannot end a chat by naming the teacher");
    assertEquals("open", ok(t1, "tutor.chat.history", new JsonObject().put("chatId", chatId))
        .getJsonObject("chat").getString("state"));
  }

  @Test
  @Timeout(20)
  @DisplayName("an admin reads the history of any chat but cannot send to it or end it")
  void adminReadsOnly() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    BridgeClient admin = node.connect("admin1", "admin");
    ok(s1, "tutor.student.ready", new JsonObject());
    String chatId = ok(t1, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat").getString("chatId");
    ok(s1, "tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "question"));
    ok(t1, "tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "answer"));

    JsonObject history = ok(admin, "tutor.chat.history", new JsonObject().put("chatId", chatId).put("afterSeq", 0));
    assertEquals(2, history.getJsonArray("messages").size());
    assertEquals("open", history.getJsonObject("chat").getString("state"));

    assertEquals(403, failureCode(admin.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "psst"))));
    assertEquals(403, failureCode(admin.request("tutor.chat.end", new JsonObject().put("chatId", chatId))));
    assertEquals(403, failureCode(admin.request("tutor.teacher.claim", new JsonObject())));
    assertEquals(403, failureCode(admin.request("tutor.student.ready", new JsonObject())));

    JsonObject after = ok(admin, "tutor.chat.history", new JsonObject().put("chatId", chatId));
    assertEquals(2L, after.getJsonObject("chat").getLong("lastSeq"), "the admin's line was not written");
    assertEquals("open", after.getJsonObject("chat").getString("state"), "the admin did not end the chat");

    ok(t1, "tutor.chat.end", new JsonObject().put("chatId", chatId));
    assertEquals("ended", ok(admin, "tutor.chat.history", new JsonObject().put("chatId", chatId))
        .getJsonObject("chat").getString("state"), "an ended chat is still readable");
  }

  @Test
  @Timeout(20)
  @DisplayName("a student may not register tutor.status or tutor.presence; a teacher and an admin may")
  void staffTopics() {
    BridgeClient student = node.connect("s1", "student");
    List<JsonObject> leaked = new CopyOnWriteArrayList<>();
    assertEquals(403, refusedRegistration(student, "tutor.status", leaked));
    assertEquals(403, refusedRegistration(student, "tutor.presence", leaked));

    Pushes teacherStatus = null;
    for (String[] who : new String[][] {{"t1", "teacher"}, {"admin1", "admin"}}) {
      BridgeClient staff = node.connect(who[0], who[1]);
      Pushes status = new Pushes();
      Pushes presence = new Pushes();
      List<BridgeError> refusals = new CopyOnWriteArrayList<>();
      staff.register("tutor.status", status::add, refusals::add);
      staff.register("tutor.presence", presence::add, refusals::add);
      assertNotNull(status.await("status"), who[1] + " gets the status");
      JsonObject state = presence.await("presence.state");
      assertTrue(state.getJsonObject("presences").containsKey(who[0]), who[1] + " sees itself online");
      assertEquals(List.of(), refusals, who[1] + " was refused");
      if (teacherStatus == null) teacherStatus = status;
    }
    // the student's refused registrations are not live: a change of the status reaches only the staff
    ok(student, "tutor.student.ready", new JsonObject());
    teacherStatus.await(p -> p.getInteger("waiting") == 1);
    assertEquals(List.of(), leaked, "the student received a staff push");
  }
}
