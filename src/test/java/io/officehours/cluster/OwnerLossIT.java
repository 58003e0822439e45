package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the node that owns a chat (the teacher's, where the chat lives, chats in Hazelcast)
 * while the student's lines are in flight to it. The chat goes on from a live node, from the
 * store: every acknowledged line is in the history exactly once at its seq, no line is there
 * twice, the seqs have no gap, and the teacher, back through another node, chats on.
 */
@DisplayName("kill -9 of a chat's owner mid-line: nothing acknowledged is lost, nothing is stored twice, the chat goes on")
@Timeout(180)
class OwnerLossIT {

  private static final int LINES = 300;
  private static ProcessCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    // a grace longer than failure detection: the teacher's chat waits for it to come back
    cluster = ProcessCluster.start(3, "--grace", "15s", "--rate", "100000", "--rate-burst", "100000");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private static BridgeClient connect(int node, String user, String role) {
    return cluster.connect(node, user, role);
  }

  @Test
  void ownerKilledMidLine() throws Exception {
    BridgeClient student = connect(0, "ol-s", "student");
    Pushes studentSaw = new Pushes();
    student.register("tutor.user.ol-s", studentSaw::add);
    BridgeClient teacher = connect(2, "ol-t", "teacher");
    teacher.register("tutor.user.ol-t", p -> { });
    TestNode.await(student.request("tutor.student.ready", new JsonObject()));
    String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
    assertEquals(1L, TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "hello"))).getLong("seq"));

    // every line at once; the owner dies once a few dozen are answered, with the rest in flight
    CountDownLatch someAnswered = new CountDownLatch(40);
    List<Future<JsonObject>> sent = new ArrayList<>();
    for (int i = 1; i <= LINES; i++) {
      sent.add(student.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "line " + i))
          .onSuccess(r -> someAnswered.countDown()));
    }
    assertTrue(someAnswered.await(30, TimeUnit.SECONDS), "lines are answered before the kill");
    cluster.kill(2);
    TestNode.await(Future.join(sent).otherwiseEmpty());

    BridgeClient back = connect(1, "ol-t", "teacher");
    back.register("tutor.user.ol-t", p -> { });
    JsonObject history = TestNode.await(back.request("tutor.chat.history", new JsonObject().put("chatId", chatId)));
    assertTrue(history.getBoolean("complete"), history.encode());
    JsonArray messages = history.getJsonArray("messages");
    Map<String, Long> seqOfText = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject m = messages.getJsonObject(i);
      assertEquals(i + 1L, m.getLong("seq"), "no gap in the seqs");
      assertFalse(seqOfText.containsKey(m.getString("text")), "stored twice: " + m.getString("text"));
      seqOfText.put(m.getString("text"), m.getLong("seq"));
    }
    int acked = 0;
    Set<Long> ackedSeqs = new HashSet<>();
    for (int i = 0; i < LINES; i++) {
      Future<JsonObject> f = sent.get(i);
      if (f.failed()) continue;
      acked++;
      long seq = f.result().getLong("seq");
      assertTrue(ackedSeqs.add(seq), "one seq acknowledged twice: " + seq);
      assertEquals(seq, seqOfText.get("line " + (i + 1)), "line " + (i + 1) + " is stored at the seq it was acknowledged with");
    }
    assertTrue(acked >= 40, "acknowledged before and after the kill: " + acked);

    // the chat goes on from a live node
    long next = TestNode.await(back.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "back now"))).getLong("seq");
    assertEquals(messages.size() + 1L, next);
    assertEquals("back now", studentSaw.await(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == next).getString("text"));
    TestNode.await(back.request("tutor.chat.end", new JsonObject().put("chatId", chatId)));
    assertEquals("ended", studentSaw.await("chat.ended").getString("reason"));
    System.out.println("owner loss: " + acked + " of " + LINES + " lines acknowledged, " + messages.size() + " stored");
  }
}
