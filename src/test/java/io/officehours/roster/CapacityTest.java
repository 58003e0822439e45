package io.officehours.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.NodeTest;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("A teacher holds at most five open chats")
class CapacityTest extends NodeTest {

  private static BridgeError failure(Future<?> request) {
    try {
      Object reply = TestNode.await(request);
      return fail("expected an err frame, got the reply " + reply);
    } catch (BridgeError e) {
      return e;
    }
  }

  private static JsonObject claim(BridgeClient teacher) {
    return TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject()));
  }

  @Test
  @Timeout(20)
  @DisplayName("the sixth claim fails with 409 and keeps the student waiting; ending a chat makes room again")
  void sixthClaimIsRefusedUntilAChatEnds() {
    List<BridgeClient> students = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      BridgeClient s = node.connect("s" + i, "student");
      students.add(s);
      TestNode.await(s.request("tutor.student.ready", new JsonObject()));
    }
    BridgeClient teacher = node.connect("t1", "teacher");
    List<String> chatIds = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      JsonObject chat = claim(teacher).getJsonObject("chat");
      assertNotNull(chat, "claim " + i);
      chatIds.add(chat.getString("chatId"));
    }

    BridgeError refused = failure(teacher.request("tutor.teacher.claim", new JsonObject()));
    assertEquals(409, refused.code());
    assertEquals(1, TestNode.await(students.get(5).request("tutor.me", new JsonObject())).getInteger("position"),
        "a refused claim takes nobody off the queue");
    assertEquals(409, failure(teacher.request("tutor.teacher.claim", new JsonObject())).code(), "still full");

    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chatIds.get(2))));
    JsonObject sixth = claim(teacher).getJsonObject("chat");
    assertNotNull(sixth, "a slot is free again");
    assertEquals("s6", sixth.getString("studentId"));
    assertEquals(409, failure(teacher.request("tutor.teacher.claim", new JsonObject())).code(), "full again");

    // another teacher's capacity is its own
    BridgeClient other = node.connect("t2", "teacher");
    assertEquals("s7", claim(other).getJsonObject("chat").getString("studentId"));
  }

  @Test
  @Timeout(20)
  @DisplayName("a claim with nobody waiting replies {\"chat\": null}")
  void claimOnEmptyQueue() {
    BridgeClient teacher = node.connect("t1", "teacher");
    JsonObject reply = claim(teacher);
    assertTrue(reply.containsKey("chat"), "the reply carries the chat key: " + reply);
    assertNull(reply.getValue("chat"));
  }

  @Test
  @Timeout(20)
  @DisplayName("--capacity sets the limit: with 2, the third claim fails with 409")
  void capacityFlag() {
    node.close();
    node = TestNode.start("--capacity", "2");
    for (int i = 1; i <= 3; i++) {
      TestNode.await(node.connect("s" + i, "student").request("tutor.student.ready", new JsonObject()));
    }
    BridgeClient teacher = node.connect("t1", "teacher");
    assertNotNull(claim(teacher).getJsonObject("chat"));
    assertNotNull(claim(teacher).getJsonObject("chat"));
    assertEquals(409, failure(teacher.request("tutor.teacher.claim", new JsonObject())).code());
  }
}
