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

@DisplayName("Three clustered nodes in one JVM serve one queue and relay chats across nodes")
class ClusterChatIT {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Timeout(60)
  @DisplayName("a student on node 0 and a teacher on node 2 chat to the end; the student's second tab on node 1 sees every line")
  void crossNodeChat() {
    Pushes studentPushes = new Pushes();
    Pushes secondTab = new Pushes();
    Pushes teacherPushes = new Pushes();
    BridgeClient student = cluster.connect(0, "x-s1", "student");
    BridgeClient tab = cluster.connect(1, "x-s1", "student");
    BridgeClient teacher = cluster.connect(2, "x-t1", "teacher");
    student.register("tutor.user.x-s1", studentPushes::add);
    tab.register("tutor.user.x-s1", secondTab::add);
    teacher.register("tutor.user.x-t1", teacherPushes::add);

    assertEquals(1, TestNode.await(student.request("tutor.student.ready", new JsonObject())).getInteger("position"));
    JsonObject chat = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
    assertEquals("x-s1", chat.getString("studentId"));
    String chatId = chat.getString("chatId");
    assertEquals(chatId, studentPushes.await("chat.started").getJsonObject("chat").getString("chatId"));
    assertNull(TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getValue("chat"));

    for (int i = 1; i <= 10; i++) {
      BridgeClient from = i % 2 == 1 ? teacher : (i % 4 == 0 ? tab : student);
      assertEquals(i, TestNode.await(from.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "line " + i))).getLong("seq"));
    }
    for (Pushes p : new Pushes[] {studentPushes, secondTab, teacherPushes}) {
      for (int i = 1; i <= 10; i++) {
        assertEquals(i, p.await("chat.message").getLong("seq"), "seq order");
      }
    }
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chatId)));
    assertEquals("ended", studentPushes.await("chat.ended").getString("reason"));
    JsonObject history = TestNode.await(tab.request("tutor.chat.history", new JsonObject().put("chatId", chatId).put("afterSeq", 4)));
    assertEquals(6, history.getJsonArray("messages").size());
    assertEquals("ended", history.getJsonObject("chat").getString("state"));
  }
}
