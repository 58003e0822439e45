package io.officehours.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("When a user's last connection goes away, the queue and its chats follow")
class DisconnectTest {

  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) node.close();
  }

  private static JsonObject ok(BridgeClient client, String address, JsonObject body) {
    return TestNode.await(client.request(address, body));
  }

  private static JsonObject call(BridgeClient client, String address) {
    return ok(client, address, new JsonObject());
  }

  private static boolean isType(JsonObject push, String type) {
    return type.equals(push.getString("type"));
  }

  /**
   * Follows one user's metas through the presence diffs a test is shown (each applied once, in
   * order), so a test can wait for the diff after which the user has a given number of
   * connections, however the server batched the changes.
   */
  private static final class Metas {
    private final String user;
    private final Set<String> refs = new HashSet<>();
    private final Set<JsonObject> applied = Collections.newSetFromMap(new IdentityHashMap<>());

    Metas(String user) {
      this.user = user;
    }

    Predicate<JsonObject> count(int n) {
      return p -> {
        if (!isType(p, "presence.diff")) return false;
        if (applied.add(p)) {
          apply(p.getJsonObject("joins"), true);
          apply(p.getJsonObject("leaves"), false);
        }
        return refs.size() == n;
      };
    }

    private void apply(JsonObject side, boolean join) {
      JsonObject entry = side.getJsonObject(user);
      if (entry == null) return;
      for (Object meta : entry.getJsonArray("metas")) {
        String ref = ((JsonObject) meta).getString("ref");
        if (join) refs.add(ref);
        else refs.remove(ref);
      }
    }
  }

  /** A match for pushes that arrive from now on: call it before the trigger. */
  private static Predicate<JsonObject> newerThan(Pushes pushes, Predicate<JsonObject> match) {
    Set<JsonObject> old = Collections.newSetFromMap(new IdentityHashMap<>());
    old.addAll(pushes.all());
    return p -> !old.contains(p) && match.test(p);
  }

  /** An admin watching tutor.status, subscribed (snapshot received) before the test triggers anything. */
  private Pushes watchStatus() {
    Pushes status = new Pushes();
    node.connect("admin1", "admin").register("tutor.status", status::add);
    status.await("status");
    return status;
  }

  @Test
  @Timeout(20)
  @DisplayName("a waiting student that closes its socket leaves the queue and the next claim does not get it")
  void waitingStudentLeavesQueue() {
    node = TestNode.start();
    Pushes status = watchStatus();
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient s2 = node.connect("s2", "student");
    call(s1, "tutor.student.ready");
    assertEquals(2, call(s2, "tutor.student.ready").getInteger("position"));
    status.await(p -> p.getInteger("waiting") == 2);

    Predicate<JsonObject> fewerWaiting = newerThan(status, p -> p.getInteger("waiting") == 1);
    TestNode.await(s1.close());
    JsonObject after = status.await(fewerWaiting);
    assertEquals(1, after.getInteger("students"), "s1 is offline");
    assertEquals(1, call(s2, "tutor.me").getInteger("position"), "s2 moved up");

    BridgeClient t1 = node.connect("t1", "teacher");
    assertEquals("s2", call(t1, "tutor.teacher.claim").getJsonObject("chat").getString("studentId"));
    assertNull(call(t1, "tutor.teacher.claim").getValue("chat"), "s1 is not waiting any more");
  }

  @Test
  @Timeout(20)
  @DisplayName("a chatting student that closes its last connection ends the chat: the teacher gets chat.ended, reason left, by the student")
  void chattingStudentLeaves() {
    node = TestNode.start();
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    Pushes teacher = new Pushes();
    t1.register("tutor.user.t1", teacher::add);
    call(s1, "tutor.student.ready");
    String chatId = call(t1, "tutor.teacher.claim").getJsonObject("chat").getString("chatId");

    TestNode.await(s1.close());
    JsonObject ended = teacher.await("chat.ended");
    assertEquals(chatId, ended.getString("chatId"));
    assertEquals("left", ended.getString("reason"));
    assertEquals("s1", ended.getString("by"));

    JsonObject state = ok(t1, "tutor.chat.history", new JsonObject().put("chatId", chatId)).getJsonObject("chat");
    assertEquals("ended", state.getString("state"));
    assertEquals("s1", state.getString("endedBy"));
    assertEquals("left", state.getString("reason"));
    assertEquals(0, call(t1, "tutor.me").getJsonArray("chats").size(), "the teacher's slot is free");
  }

  @Test
  @Timeout(20)
  @DisplayName("a student with two connections that closes one keeps its chat")
  void secondTabKeepsTheChat() {
    node = TestNode.start();
    BridgeClient t1 = node.connect("t1", "teacher");
    Pushes teacher = new Pushes();
    Pushes presence = new Pushes();
    t1.register("tutor.user.t1", teacher::add);
    t1.register("tutor.presence", presence::add);
    presence.await("presence.state");
    BridgeClient tabA = node.connect("s1", "student");
    BridgeClient tabB = node.connect("s1", "student");
    Pushes inboxB = new Pushes();
    tabB.register("tutor.user.s1", inboxB::add);
    call(tabA, "tutor.student.ready");
    String chatId = call(t1, "tutor.teacher.claim").getJsonObject("chat").getString("chatId");
    inboxB.await("chat.started");
    Metas s1Metas = new Metas("s1");
    presence.await(s1Metas.count(2));

    TestNode.await(tabA.close());
    // presence saw the close (and, with no grace, decided on the spot whether s1 went offline)
    presence.await(s1Metas.count(1));

    assertEquals(1, ok(t1, "tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "still there?")).getInteger("seq"));
    assertEquals("still there?", inboxB.await("chat.message").getString("text"));
    JsonObject me = call(tabB, "tutor.me");
    assertEquals(1, me.getJsonArray("chats").size());
    assertEquals("open", me.getJsonArray("chats").getJsonObject(0).getString("state"));
    assertTrue(teacher.all().stream().noneMatch(p -> isType(p, "chat.ended")), "no chat.ended: " + teacher.all());
    assertTrue(inboxB.all().stream().noneMatch(p -> isType(p, "chat.ended")), "no chat.ended: " + inboxB.all());
  }

  @Test
  @Timeout(20)
  @DisplayName("a teacher that disconnects ends its chats as left, and its students go back to the head of the queue in the order their chats started")
  void teacherLeaves() {
    node = TestNode.start();
    Pushes status = watchStatus();
    // ids chosen so that neither name nor hash order matches the order the chats started in
    String[] order = {"s9", "s1", "s5"};
    BridgeClient t1 = node.connect("t1", "teacher");
    Pushes[] inboxes = new Pushes[order.length];
    BridgeClient[] students = new BridgeClient[order.length];
    String[] chatIds = new String[order.length];
    for (int i = 0; i < order.length; i++) {
      students[i] = node.connect(order[i], "student");
      inboxes[i] = new Pushes();
      students[i].register("tutor.user." + order[i], inboxes[i]::add);
      call(students[i], "tutor.student.ready");
      JsonObject chat = call(t1, "tutor.teacher.claim").getJsonObject("chat");
      assertEquals(order[i], chat.getString("studentId"));
      chatIds[i] = chat.getString("chatId");
    }
    BridgeClient w1 = node.connect("w1", "student");
    BridgeClient w2 = node.connect("w2", "student");
    call(w1, "tutor.student.ready");
    call(w2, "tutor.student.ready");
    status.await(p -> p.getInteger("waiting") == 2 && p.getInteger("chats") == 3);

    TestNode.await(t1.close());
    for (int i = 0; i < order.length; i++) {
      JsonObject ended = inboxes[i].await("chat.ended");
      assertEquals(chatIds[i], ended.getString("chatId"));
      assertEquals("left", ended.getString("reason"));
      assertEquals("t1", ended.getString("by"));
    }
    status.await(p -> p.getInteger("waiting") == 5 && p.getInteger("chats") == 0 && p.getInteger("teachers") == 0);

    for (int i = 0; i < order.length; i++) {
      JsonObject me = call(students[i], "tutor.me");
      assertEquals(i + 1, me.getInteger("position"), order[i] + " is back at the head, in chat order");
      assertEquals(0, me.getJsonArray("chats").size());
    }
    assertEquals(4, call(w1, "tutor.me").getInteger("position"), "w1 waited already and is behind them");
    assertEquals(5, call(w2, "tutor.me").getInteger("position"));

    BridgeClient t2 = node.connect("t2", "teacher");
    for (String expected : new String[] {"s9", "s1", "s5", "w1", "w2"}) {
      assertEquals(expected, call(t2, "tutor.teacher.claim").getJsonObject("chat").getString("studentId"));
    }
  }

  @Test
  @Timeout(20)
  @DisplayName("with --grace 1s, a student who reconnects within the grace keeps its chat, one who does not loses it")
  void graceKeepsTheChat() {
    node = TestNode.start("--grace", "1s");
    BridgeClient t1 = node.connect("t1", "teacher");
    Pushes teacher = new Pushes();
    Pushes presence = new Pushes();
    t1.register("tutor.user.t1", teacher::add);
    t1.register("tutor.presence", presence::add);
    presence.await("presence.state");
    BridgeClient back = node.connect("back", "student");
    BridgeClient gone = node.connect("gone", "student");
    call(back, "tutor.student.ready");
    String backChat = call(t1, "tutor.teacher.claim").getJsonObject("chat").getString("chatId");
    call(gone, "tutor.student.ready");
    String goneChat = call(t1, "tutor.teacher.claim").getJsonObject("chat").getString("chatId");

    Metas backMetas = new Metas("back");
    presence.await(backMetas.count(1));
    TestNode.await(back.close());
    presence.await(backMetas.count(0));
    long goneClosed = System.nanoTime();
    TestNode.await(gone.close());
    BridgeClient again = node.connect("back", "student");
    Pushes inbox = new Pushes();
    again.register("tutor.user.back", inbox::add);

    // "back" closed first, so its grace would have run out before this one: when "gone" is
    // dropped, "back" would have been too, had it not come back
    JsonObject ended = teacher.await("chat.ended");
    long waitedMs = (System.nanoTime() - goneClosed) / 1_000_000;
    assertEquals(goneChat, ended.getString("chatId"));
    assertEquals("left", ended.getString("reason"));
    assertEquals("gone", ended.getString("by"));
    assertTrue(waitedMs >= 900, "the chat ended only after the grace: " + waitedMs + " ms");

    JsonObject me = call(again, "tutor.me");
    assertEquals(1, me.getJsonArray("chats").size(), "back keeps its chat");
    assertEquals(backChat, me.getJsonArray("chats").getJsonObject(0).getString("chatId"));
    assertEquals("open", me.getJsonArray("chats").getJsonObject(0).getString("state"));
    ok(t1, "tutor.chat.send", new JsonObject().put("chatId", backChat).put("text", "welcome back"));
    assertEquals("welcome back", inbox.await("chat.message").getString("text"));
    assertEquals(1, teacher.all().stream().filter(p -> isType(p, "chat.ended")).count(), "only gone's chat ended");
  }
}
