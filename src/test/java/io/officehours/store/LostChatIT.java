package io.officehours.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's view of a Redis that came back without its data. */
@DisplayName("A chat lost with Redis's data is reported as lost, never as an empty chat")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LostChatIT {

  @Test
  @DisplayName("history answers complete=false with state \"unknown\"; a line to it is 404 saying the data was lost; an id never seen before Redis's data was lost is 404")
  void lostChat() throws Exception {
    RedisServer redis = RedisServer.start();
    RedisServer empty = null;
    try (TestNode node = TestNode.start("--redis", redis.url(), "--redis-timeout", "1s")) {
      BridgeClient student = node.connect("s1", "student");
      BridgeClient teacher = node.connect("t1", "teacher");
      TestNode.await(student.request("tutor.student.ready", new JsonObject()));
      String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
      TestNode.await(student.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "hello")));
      JsonObject before = TestNode.await(student.request("tutor.chat.history", new JsonObject().put("chatId", chatId)));
      assertTrue(before.getBoolean("complete"));

      redis.kill();
      empty = RedisServer.start(redis.port, Files.createTempDirectory("oh-redis-empty-"));

      JsonObject after = TestNode.await(student.request("tutor.chat.history", new JsonObject().put("chatId", chatId).put("afterSeq", 1)));
      assertFalse(after.getBoolean("complete"));
      assertTrue(after.getJsonArray("messages").isEmpty());
      assertEquals(new JsonObject().put("chatId", chatId).put("state", "unknown").put("lastSeq", 0), after.getJsonObject("chat"));

      BridgeError send = assertThrows(BridgeError.class, () -> TestNode.await(
          student.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "anyone?"))));
      assertEquals(404, send.code());

      // new chats work (other users: the roster still counts the lost chat as s1's and t1's)
      BridgeClient student2 = node.connect("s2", "student");
      BridgeClient teacher2 = node.connect("t2", "teacher");
      TestNode.await(student2.request("tutor.student.ready", new JsonObject()));
      String fresh = TestNode.await(teacher2.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
      assertEquals(1, TestNode.await(teacher2.request("tutor.chat.send", new JsonObject().put("chatId", fresh).put("text", "again"))).getLong("seq"));
    } finally {
      redis.close();
      if (empty != null) empty.close();
    }
  }

  @Test
  @DisplayName("without a detected loss an unknown chat stays a plain 404")
  void unknownIsStill404() throws Exception {
    try (RedisServer redis = RedisServer.start(); TestNode node = TestNode.start("--redis", redis.url())) {
      BridgeClient student = node.connect("s1", "student");
      BridgeError e = assertThrows(BridgeError.class, () -> TestNode.await(
          student.request("tutor.chat.history", new JsonObject().put("chatId", UUID.randomUUID().toString()))));
      assertEquals(404, e.code());
    }
  }
}
