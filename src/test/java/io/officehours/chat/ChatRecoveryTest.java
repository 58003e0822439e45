package io.officehours.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("A client that reconnects mid-chat resumes from the last seq it saw")
class ChatRecoveryTest {

  private TestNode node;

  @BeforeEach
  void start() {
    node = TestNode.start("--grace", "5s");
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static JsonObject send(BridgeClient c, String chatId, String text) {
    return TestNode.await(c.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", text)));
  }

  @Test
  @Timeout(30)
  @DisplayName("a student who drops and comes back within the grace gets every line it missed once, in order, and goes on")
  void reconnectWithinGrace() {
    BridgeClient teacher = node.connect("rc-t", "teacher");
    BridgeClient student = node.connect("rc-s", "student");
    Pushes seen = new Pushes();
    student.register("tutor.user.rc-s", seen::add);
    TestNode.await(student.request("tutor.student.ready", new JsonObject()));
    String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
    send(teacher, chatId, "one");
    send(student, chatId, "two");
    long lastSeen = 0;
    for (int i = 0; i < 2; i++) lastSeen = seen.await("chat.message").getLong("seq");
    assertEquals(2, lastSeen);

    TestNode.await(student.close());
    send(teacher, chatId, "three (missed)");
    send(teacher, chatId, "four (missed)");

    BridgeClient back = node.connect("rc-s", "student");
    Pushes after = new Pushes();
    back.register("tutor.user.rc-s", after::add);
    JsonObject me = TestNode.await(back.request("tutor.me", new JsonObject()));
    JsonArray chats = me.getJsonArray("chats");
    assertEquals(1, chats.size(), "the chat survived the drop: " + me);
    assertEquals(4, chats.getJsonObject(0).getLong("lastSeq"));
    JsonObject history = TestNode.await(back.request("tutor.chat.history", new JsonObject().put("chatId", chatId).put("afterSeq", lastSeen)));
    assertTrue(history.getBoolean("complete"));
    List<Long> missed = new ArrayList<>();
    history.getJsonArray("messages").forEach(m -> missed.add(((JsonObject) m).getLong("seq")));
    assertEquals(List.of(3L, 4L), missed);

    send(back, chatId, "five");
    assertEquals(5, after.await("chat.message").getLong("seq"), "live pushes go on from where history ended");
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chatId)));
    assertEquals("ended", after.await("chat.ended").getString("reason"));
  }

  @Test
  @Timeout(30)
  @DisplayName("over HTTP: a participant or an admin reads a chat; an admin lists the chats in progress")
  void historyOverHttp() {
    BridgeClient teacher = node.connect("rh-t", "teacher");
    BridgeClient student = node.connect("rh-s", "student");
    TestNode.await(student.request("tutor.student.ready", new JsonObject()));
    String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
    send(teacher, chatId, "hello");
    send(student, chatId, "hi");

    TestNode.HttpResponse mine = node.get("/api/chats/" + chatId + "?token=" + node.token("rh-s", "student"));
    assertEquals(200, mine.status(), mine.body());
    assertEquals(2, new JsonObject(mine.body()).getJsonArray("messages").size());
    TestNode.HttpResponse after = node.get("/api/chats/" + chatId + "?afterSeq=1&token=" + node.token("rh-adm", "admin"));
    assertEquals(1, new JsonObject(after.body()).getJsonArray("messages").size());
    assertEquals(403, node.get("/api/chats/" + chatId + "?token=" + node.token("rh-other", "student")).status());
    assertEquals(404, node.get("/api/chats/nope?token=" + node.token("rh-adm", "admin")).status());
    assertEquals(401, node.get("/api/chats/" + chatId).status());
    assertEquals(400, node.get("/api/chats/" + chatId + "?afterSeq=x&token=" + node.token("rh-s", "student")).status());

    TestNode.HttpResponse open = node.get("/api/chats?state=open&token=" + node.token("rh-adm", "admin"));
    assertEquals(200, open.status(), open.body());
    JsonArray chats = new JsonObject(open.body()).getJsonArray("chats");
    assertEquals(1, chats.size());
    assertEquals(chatId, chats.getJsonObject(0).getString("chatId"));
    assertEquals(403, node.get("/api/chats?state=open&token=" + node.token("rh-t", "teacher")).status());
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chatId)));
    assertEquals(0, new JsonObject(node.get("/api/chats?token=" + node.token("rh-adm", "admin")).body()).getJsonArray("chats").size());
  }
}
