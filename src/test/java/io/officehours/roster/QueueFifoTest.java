package io.officehours.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.NodeTest;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The waiting queue is first in, first out, and tutor.me tells a client where it stands")
class QueueFifoTest extends NodeTest {

  private static JsonObject call(BridgeClient client, String address) {
    return TestNode.await(client.request(address, new JsonObject()));
  }

  @Test
  @Timeout(20)
  @DisplayName("five students get positions 1 to 5, a second ready keeps the place, and claims take them in that order")
  void fifoPositionsAndClaims() {
    List<BridgeClient> students = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      BridgeClient s = node.connect("s" + i, "student");
      students.add(s);
      assertEquals(i, call(s, "tutor.student.ready").getInteger("position"), "position of s" + i);
    }
    // idempotent: readying again neither moves the student nor adds it twice
    assertEquals(3, call(students.get(2), "tutor.student.ready").getInteger("position"));
    assertEquals(1, call(students.get(0), "tutor.student.ready").getInteger("position"));
    assertEquals(5, call(students.get(4), "tutor.student.ready").getInteger("position"));

    BridgeClient teacher = node.connect("t1", "teacher");
    for (int i = 1; i <= 5; i++) {
      JsonObject chat = call(teacher, "tutor.teacher.claim").getJsonObject("chat");
      assertNotNull(chat, "claim " + i + " got a student");
      assertEquals("s" + i, chat.getString("studentId"), "claim " + i + " takes the longest waiting student");
      assertEquals("t1", chat.getString("teacherId"));
      assertNotNull(chat.getString("chatId"));
      assertNotNull(chat.getLong("startedAt"));
      if (i < 5) {
        // everyone behind moved up by one
        assertEquals(1, call(students.get(i), "tutor.me").getInteger("position"), "s" + (i + 1) + " is next");
      }
    }
    assertNull(call(node.connect("t2", "teacher"), "tutor.teacher.claim").getValue("chat"), "the queue is empty now");
  }

  @Test
  @Timeout(20)
  @DisplayName("tutor.me shows a waiting student's position, then, once claimed, its open chat with state and lastSeq")
  void meShowsPositionThenChat() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient s2 = node.connect("s2", "student");

    JsonObject idle = call(s2, "tutor.me");
    assertEquals("s2", idle.getString("userId"));
    assertEquals("student", idle.getString("role"));
    assertTrue(idle.containsKey("position"), "position is present, null when not waiting");
    assertNull(idle.getValue("position"));
    assertEquals(new JsonArray(), idle.getJsonArray("chats"));

    call(s1, "tutor.student.ready");
    call(s2, "tutor.student.ready");
    JsonObject waiting = call(s2, "tutor.me");
    assertEquals(2, waiting.getInteger("position"));
    assertEquals(0, waiting.getJsonArray("chats").size());

    BridgeClient teacher = node.connect("t1", "teacher");
    JsonObject chat = call(teacher, "tutor.teacher.claim").getJsonObject("chat");
    assertEquals("s1", chat.getString("studentId"));
    assertEquals(1, call(s2, "tutor.me").getInteger("position"), "s2 moved up");

    JsonObject chatting = call(s1, "tutor.me");
    assertNull(chatting.getValue("position"), "a chatting student does not wait");
    JsonArray chats = chatting.getJsonArray("chats");
    assertEquals(1, chats.size());
    JsonObject state = chats.getJsonObject(0);
    assertEquals(chat.getString("chatId"), state.getString("chatId"));
    assertEquals("t1", state.getString("teacherId"));
    assertEquals("s1", state.getString("studentId"));
    assertEquals(chat.getLong("startedAt"), state.getLong("startedAt"));
    assertEquals("open", state.getString("state"));
    assertEquals(0L, state.getLong("lastSeq"));

    TestNode.await(s1.request("tutor.chat.send", new JsonObject().put("chatId", chat.getString("chatId")).put("text", "hello")));
    JsonObject teacherMe = call(teacher, "tutor.me");
    assertEquals("teacher", teacherMe.getString("role"));
    assertNull(teacherMe.getValue("position"));
    assertEquals(1, teacherMe.getJsonArray("chats").size());
    assertEquals(1L, teacherMe.getJsonArray("chats").getJsonObject(0).getLong("lastSeq"), "lastSeq follows the log");

    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chat.getString("chatId"))));
    assertEquals(0, call(s1, "tutor.me").getJsonArray("chats").size(), "only open chats are listed");
  }
}
