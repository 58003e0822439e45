package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("kill -9 of one node of three (separate JVMs): the queue and the chats of the survivors go on")
class KillNodeIT {

  private static ProcessCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = ProcessCluster.start(3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private static BridgeClient connect(int node, String user, String role) {
    return cluster.connect(node, user, role);
  }

  @Test
  @Timeout(90)
  void killOneNode() throws Exception {
    BridgeClient teacher = connect(0, "k-t1", "teacher");
    Pushes teacherPushes = new Pushes();
    Pushes status = new Pushes();
    teacher.register("tutor.user.k-t1", teacherPushes::add);
    teacher.register("tutor.status", status::add);
    BridgeClient[] students = new BridgeClient[6];
    Pushes[] inbox = new Pushes[6];
    for (int i = 0; i < 6; i++) {
      students[i] = connect(i / 2, "k-s" + i, "student");
      inbox[i] = new Pushes();
      students[i].register("tutor.user.k-s" + i, inbox[i]::add);
      assertEquals(i + 1, TestNode.await(students[i].request("tutor.student.ready", new JsonObject())).getInteger("position"));
    }
    // chats with k-s0 (node 0), k-s1 (node 0) and k-s2 (node 1)
    String[] chatIds = new String[3];
    for (int i = 0; i < 3; i++) {
      JsonObject chat = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
      assertEquals("k-s" + i, chat.getString("studentId"), "FIFO across nodes");
      chatIds[i] = chat.getString("chatId");
    }
    TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatIds[2]).put("text", "before")));
    assertEquals(1, inbox[2].await("chat.message").getLong("seq"));

    cluster.kill(2); // holds k-s4 and k-s5, both waiting

    // k-s4 and k-s5 leave the queue: only k-s3 waits
    status.await(s -> s.getInteger("waiting") == 1 && s.getInteger("students") == 4);
    JsonObject next = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
    assertEquals("k-s3", next.getString("studentId"));
    assertNull(TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getValue("chat"));

    // the chat with k-s2 goes on, with nothing lost or repeated
    TestNode.await(students[2].request("tutor.chat.send", new JsonObject().put("chatId", chatIds[2]).put("text", "after")));
    TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatIds[2]).put("text", "bye")));
    assertEquals(2, inbox[2].await("chat.message").getLong("seq"));
    assertEquals(3, inbox[2].await("chat.message").getLong("seq"));
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chatIds[2])));
    assertEquals("ended", inbox[2].await("chat.ended").getString("reason"));
    JsonObject history = TestNode.await(students[2].request("tutor.chat.history", new JsonObject().put("chatId", chatIds[2])));
    assertEquals(3, history.getJsonArray("messages").size());
    assertEquals(true, history.getBoolean("complete"));
  }
}
