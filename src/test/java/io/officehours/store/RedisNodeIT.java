package io.officehours.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.officehours.config.Config;
import io.officehours.config.ServerCommand;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real nodes started with {@code --redis}: chats outlive the node, and a Redis outage is a 503, not a hang. */
@DisplayName("A node with --redis keeps its chats in Redis")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedisNodeIT {

  @Test
  @DisplayName("--redis, --redis-timeout, --redis-pool and --chat-retention (or OFFICEHOURS_REDIS...) reach the config")
  void flags() {
    Config none = ServerCommand.parse(Map.of());
    assertNull(none.redis());
    assertEquals(Duration.ofSeconds(2), none.redisTimeout());
    assertEquals(16, none.redisPool());
    assertEquals(Duration.ofDays(7), none.chatRetention());
    Config set = ServerCommand.parse(Map.of("OFFICEHOURS_REDIS", "redis://env:6379"),
        "--redis-timeout", "500ms", "--redis-pool", "4", "--chat-retention", "2d");
    assertEquals("redis://env:6379", set.redis());
    assertEquals(Duration.ofMillis(500), set.redisTimeout());
    assertEquals(4, set.redisPool());
    assertEquals(Duration.ofDays(2), set.chatRetention());
    assertEquals("redis://flag:1", ServerCommand.parse(Map.of("OFFICEHOURS_REDIS", "redis://env:6379"), "--redis", "redis://flag:1").redis());
  }

  @Test
  @DisplayName("a node that cannot reach its Redis does not start")
  void noRedisNoNode() throws Exception {
    String nowhere = "redis://127.0.0.1:" + RedisServer.freePort();
    assertThrows(RuntimeException.class, () -> TestNode.start("--redis", nowhere, "--redis-timeout", "1s"));
  }

  @Test
  @DisplayName("a chat outlives its node; with Redis killed a line is refused with 503 in about the timeout; Redis back, the next line goes through")
  void chatsOutliveNodesAndOutagesAre503() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String chatId;
      try (TestNode first = TestNode.start("--redis", redis.url(), "--redis-timeout", "1s")) {
        BridgeClient student = first.connect("s1", "student");
        BridgeClient teacher = first.connect("t1", "teacher");
        TestNode.await(student.request("tutor.student.ready", new JsonObject()));
        chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
        for (int i = 1; i <= 3; i++) {
          JsonObject reply = TestNode.await(student.request("tutor.chat.send", line(chatId, "line " + i)));
          assertEquals(i, reply.getLong("seq"));
        }
      }

      try (TestNode second = TestNode.start("--redis", redis.url(), "--redis-timeout", "1s")) {
        BridgeClient student = second.connect("s1", "student");
        JsonObject history = TestNode.await(student.request("tutor.chat.history", new JsonObject().put("chatId", chatId).put("afterSeq", 1)));
        assertTrue(history.getBoolean("complete"));
        JsonArray messages = history.getJsonArray("messages");
        assertEquals(List.of(2L, 3L), List.of(messages.getJsonObject(0).getLong("seq"), messages.getJsonObject(1).getLong("seq")));
        assertEquals("open", history.getJsonObject("chat").getString("state"));

        redis.kill();
        long started = System.nanoTime();
        BridgeError refused = assertThrows(BridgeError.class, () -> TestNode.await(student.request("tutor.chat.send", line(chatId, "lost?"))));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals(503, refused.code());
        assertTrue(took < 1_700, "refused after " + took + " ms");

        RedisServer back = RedisServer.start(redis.port, redis.dir);
        try {
          assertEquals(4, TestNode.await(student.request("tutor.chat.send", line(chatId, "line 4"))).getLong("seq"));
        } finally {
          back.close();
        }
      }
    }
  }

  private static JsonObject line(String chatId, String text) {
    return new JsonObject().put("chatId", chatId).put("text", text);
  }
}
