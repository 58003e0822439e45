package io.officehours.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.cluster.ProcessCluster;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("kill -9 of the node holding the teacher's connection mid-chat: the teacher comes back through another node and the chat completes")
@Timeout(180)
class TeacherNodeLossIT {

  private static RedisServer redis;
  private static ProcessCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    // a grace longer than failure detection: the teacher's chats wait for it to come back
    cluster = ProcessCluster.start(3, "--redis", redis.url(), "--grace", "15s");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (redis != null) redis.close();
  }

  private static BridgeClient connect(int node, String user, String role) {
    return cluster.connect(node, user, role);
  }

  private static long send(BridgeClient c, String chatId, String text) {
    return TestNode.await(c.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", text))).getLong("seq");
  }

  @Test
  void teacherNodeDies() throws Exception {
    BridgeClient student = connect(0, "tn-s", "student");
    Pushes studentSaw = new Pushes();
    student.register("tutor.user.tn-s", studentSaw::add);
    BridgeClient teacher = connect(2, "tn-t", "teacher");
    Pushes teacherSaw = new Pushes();
    teacher.register("tutor.user.tn-t", teacherSaw::add);
    TestNode.await(student.request("tutor.student.ready", new JsonObject()));
    String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
    for (int i = 1; i <= 3; i++) {
      assertEquals(2L * i - 1, send(teacher, chatId, "t" + i));
      assertEquals(2L * i, send(student, chatId, "s" + i));
    }
    long lastSeenByTeacher = 0;
    for (int i = 0; i < 6; i++) lastSeenByTeacher = teacherSaw.await("chat.message").getLong("seq");

    cluster.kill(2);
    // the student keeps writing while the teacher is away
    assertEquals(7, send(student, chatId, "are you there?"));

    BridgeClient back = connect(1, "tn-t", "teacher");
    Pushes backSaw = new Pushes();
    back.register("tutor.user.tn-t", backSaw::add);
    JsonObject me = TestNode.await(back.request("tutor.me", new JsonObject()));
    assertEquals(1, me.getJsonArray("chats").size(), "the chat is still open: " + me);
    JsonObject history = TestNode.await(back.request("tutor.chat.history",
        new JsonObject().put("chatId", chatId).put("afterSeq", lastSeenByTeacher)));
    assertTrue(history.getBoolean("complete"));
    assertEquals(1, history.getJsonArray("messages").size());
    assertEquals("are you there?", history.getJsonArray("messages").getJsonObject(0).getString("text"));

    assertEquals(8, send(back, chatId, "back now"));
    assertEquals(9, send(student, chatId, "good"));
    TestNode.await(back.request("tutor.chat.end", new JsonObject().put("chatId", chatId)));
    assertEquals("ended", studentSaw.await("chat.ended").getString("reason"));

    List<Long> studentSeqs = new ArrayList<>();
    studentSaw.all().stream().filter(p -> "chat.message".equals(p.getString("type"))).forEach(p -> studentSeqs.add(p.getLong("seq")));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), studentSeqs, "the student saw every line once, in order");
    JsonObject full = TestNode.await(back.request("tutor.chat.history", new JsonObject().put("chatId", chatId)));
    assertEquals(9, full.getJsonArray("messages").size());
    assertEquals("ended", full.getJsonObject("chat").getString("state"));
  }
}
