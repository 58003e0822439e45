package io.officehours.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.NodeTest;
import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Chat lines reach every session of both participants, and history replays them in seq order")
class ChatRelayTest extends NodeTest {

  private static JsonObject ok(BridgeClient client, String address, JsonObject body) {
    return TestNode.await(client.request(address, body));
  }

  private static JsonObject line(String chatId, String text) {
    return new JsonObject().put("chatId", chatId).put("text", text);
  }

  private static Pushes inbox(BridgeClient client, String userId) {
    Pushes pushes = new Pushes();
    client.register("tutor.user." + userId, pushes::add);
    return pushes;
  }

  private static List<Long> seqs(Pushes pushes) {
    return pushes.all().stream().filter(p -> "chat.message".equals(p.getString("type"))).map(p -> p.getLong("seq")).toList();
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) out.add(i);
    return out;
  }

  @Test
  @Timeout(20)
  @DisplayName("every line goes once to every tab of the student and the teacher, the sender's own tab included")
  void everySessionGetsEveryLineOnce() {
    BridgeClient tabA = node.connect("s1", "student");
    BridgeClient tabB = node.connect("s1", "student");
    BridgeClient teacher = node.connect("t1", "teacher");
    BridgeClient teacherTab2 = node.connect("t1", "teacher");
    Pushes a = inbox(tabA, "s1");
    Pushes b = inbox(tabB, "s1");
    Pushes t = inbox(teacher, "t1");
    Pushes t2 = inbox(teacherTab2, "t1");
    List<Pushes> sessions = List.of(a, b, t, t2);

    ok(tabA, "tutor.student.ready", new JsonObject());
    JsonObject chat = ok(teacher, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat");
    String chatId = chat.getString("chatId");
    for (Pushes session : sessions) assertEquals(chat, session.await("chat.started").getJsonObject("chat"));

    assertEquals(1, ok(teacher, "tutor.chat.send", line(chatId, "hello")).getInteger("seq"));
    assertEquals(2, ok(tabA, "tutor.chat.send", line(chatId, "hi from tab A")).getInteger("seq"));
    assertEquals(3, ok(tabB, "tutor.chat.send", line(chatId, "hi from tab B")).getInteger("seq"));
    for (Pushes session : sessions) {
      JsonObject third = session.await(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == 3);
      assertEquals("s1", third.getString("from"));
      assertEquals("hi from tab B", third.getString("text"));
      assertEquals(chatId, third.getString("chatId"));
      assertNotNull(third.getLong("ts"));
    }
    // a barrier line: any duplicate of 1..3 would have come before it on the same socket
    ok(teacherTab2, "tutor.chat.send", line(chatId, "barrier"));
    for (Pushes session : sessions) {
      session.await(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == 4);
      assertEquals(List.of(1L, 2L, 3L, 4L), seqs(session), "each line once per session, in order");
    }
    JsonObject fromTeacher = a.all().stream().filter(p -> Long.valueOf(1).equals(p.getLong("seq"))).findFirst().orElseThrow();
    assertEquals("t1", fromTeacher.getString("from"));
    assertEquals("hello", fromTeacher.getString("text"));
  }

  @Test
  @Timeout(20)
  @DisplayName("history after seq k returns k+1..N in order with complete true; after the end it reports who ended it and why")
  void history() {
    BridgeClient student = node.connect("s1", "student");
    BridgeClient teacher = node.connect("t1", "teacher");
    Pushes studentInbox = inbox(student, "s1");
    Pushes teacherInbox = inbox(teacher, "t1");
    ok(student, "tutor.student.ready", new JsonObject());
    JsonObject chat = ok(teacher, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat");
    String chatId = chat.getString("chatId");

    JsonObject empty = ok(student, "tutor.chat.history", new JsonObject().put("chatId", chatId));
    assertEquals(new JsonArray(), empty.getJsonArray("messages"));
    assertTrue(empty.getBoolean("complete"));
    assertEquals(0L, empty.getJsonObject("chat").getLong("lastSeq"));

    int n = 7;
    for (int i = 1; i <= n; i++) {
      BridgeClient who = i % 2 == 0 ? teacher : student;
      assertEquals(i, ok(who, "tutor.chat.send", line(chatId, "line " + i)).getInteger("seq"));
    }
    for (int k : new int[] {0, 3, 6, 7, 50}) {
      JsonObject reply = ok(k % 2 == 0 ? student : teacher, "tutor.chat.history",
          new JsonObject().put("chatId", chatId).put("afterSeq", k));
      JsonArray messages = reply.getJsonArray("messages");
      assertEquals(Math.max(0, n - k), messages.size(), "messages after " + k);
      for (int i = 0; i < messages.size(); i++) {
        JsonObject m = messages.getJsonObject(i);
        long seq = k + i + 1;
        assertEquals(seq, m.getLong("seq"), "seq order after " + k);
        assertEquals("line " + seq, m.getString("text"));
        assertEquals(seq % 2 == 0 ? "t1" : "s1", m.getString("from"));
        assertEquals(chatId, m.getString("chatId"));
        assertNotNull(m.getLong("ts"));
      }
      assertTrue(reply.getBoolean("complete"), "complete after " + k);
      JsonObject state = reply.getJsonObject("chat");
      assertEquals("open", state.getString("state"));
      assertEquals((long) n, state.getLong("lastSeq"));
      assertEquals(chat.getString("teacherId"), state.getString("teacherId"));
      assertEquals(chat.getString("studentId"), state.getString("studentId"));
      assertEquals(chat.getLong("startedAt"), state.getLong("startedAt"));
      assertFalse(state.containsKey("endedBy"), "an open chat has no endedBy");
    }

    ok(teacher, "tutor.chat.end", new JsonObject().put("chatId", chatId));
    for (Pushes pushes : List.of(studentInbox, teacherInbox)) {
      JsonObject ended = pushes.await("chat.ended");
      assertEquals(chatId, ended.getString("chatId"));
      assertEquals("t1", ended.getString("by"));
      assertEquals("ended", ended.getString("reason"));
    }
    JsonObject after = ok(student, "tutor.chat.history", new JsonObject().put("chatId", chatId).put("afterSeq", 5));
    assertEquals(List.of(6L, 7L), after.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList());
    assertTrue(after.getBoolean("complete"));
    JsonObject state = after.getJsonObject("chat");
    assertEquals("ended", state.getString("state"));
    assertEquals("t1", state.getString("endedBy"));
    assertEquals("ended", state.getString("reason"));
    assertEquals((long) n, state.getLong("lastSeq"));
  }

  @Test
  @Timeout(20)
  @DisplayName("lines sent at once by both participants get distinct seqs 1..N with no gap, and history holds them in order")
  void concurrentSendsAreGapless() {
    BridgeClient student = node.connect("s1", "student");
    BridgeClient teacher = node.connect("t1", "teacher");
    ok(student, "tutor.student.ready", new JsonObject());
    String chatId = ok(teacher, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat").getString("chatId");
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sends.add(student.request("tutor.chat.send", line(chatId, "s" + i)));
      sends.add(teacher.request("tutor.chat.send", line(chatId, "t" + i)));
    }
    TestNode.await(Future.all(sends));
    Set<Long> acked = new HashSet<>();
    sends.forEach(f -> acked.add(f.result().getLong("seq")));
    assertEquals(new HashSet<>(range(1, 60)), acked, "every send got its own seq");
    JsonArray messages = ok(student, "tutor.chat.history", new JsonObject().put("chatId", chatId)).getJsonArray("messages");
    assertEquals(range(1, 60), messages.stream().map(m -> ((JsonObject) m).getLong("seq")).toList());
  }

  @Test
  @Timeout(30)
  @DisplayName("a tab closing in the middle of a burst costs the other sessions of both participants no line")
  void closingTabLosesNothingForTheOthers() {
    node.close();
    // one gateway instance: every socket shares the fan-out loop; a high rate limit for the bursts
    node = TestNode.start("--gateways", "1", "--rate-burst", "5000", "--rate", "5000");
    BridgeClient student = node.connect("s1", "student");
    BridgeClient teacher = node.connect("t1", "teacher");
    Pushes studentInbox = inbox(student, "s1");
    Pushes teacherInbox = inbox(teacher, "t1");
    ok(student, "tutor.student.ready", new JsonObject());
    String chatId = ok(teacher, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat").getString("chatId");
    int lines = 100;
    long seq = 0;
    for (String[] tab : new String[][] {{"t1", "teacher"}, {"s1", "student"}, {"t1", "teacher"}, {"s1", "student"}}) {
      BridgeClient closing = node.connect(tab[0], tab[1]);
      inbox(closing, tab[0]);
      ok(closing, "tutor.me", new JsonObject());
      List<Future<JsonObject>> sends = new ArrayList<>();
      for (int i = 0; i < lines; i++) {
        sends.add(teacher.request("tutor.chat.send", line(chatId, "line " + i)));
        if (i == lines / 3) closing.close();
      }
      TestNode.await(Future.all(sends));
      TestNode.await(closing.closeFuture());
      // a last line after the tab is gone: when it arrives, every line before it has too
      ok(student, "tutor.chat.send", line(chatId, "barrier"));
      seq += lines + 1;
      long last = seq;
      studentInbox.await(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == last);
      teacherInbox.await(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == last);
      String closed = "a " + tab[1] + " tab closed";
      assertEquals(range(1, last), seqs(studentInbox), closed + ": the student got every line");
      assertEquals(range(1, last), seqs(teacherInbox), closed + ": the teacher got every line");
    }
  }
}
