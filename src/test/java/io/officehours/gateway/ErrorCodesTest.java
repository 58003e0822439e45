package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.NodeTest;
import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Every error code of the contract comes back through the bridge as an err frame")
class ErrorCodesTest extends NodeTest {

  /** Awaits a request that must fail, checks the code and that the message says something, and returns the error. */
  private static BridgeError expect(int code, Future<?> request, String what) {
    BridgeError error;
    try {
      Object reply = TestNode.await(request);
      return fail(what + ": expected an err frame " + code + ", got the reply " + reply);
    } catch (BridgeError e) {
      error = e;
    }
    assertEquals(code, error.code(), what + ": " + error.getMessage());
    String words = error.getMessage().substring(error.getMessage().indexOf(':') + 1).trim();
    assertFalse(words.isEmpty() || words.equals("null"), what + ": the err frame needs a message");
    return error;
  }

  private static JsonObject ok(BridgeClient client, String address, JsonObject body) {
    return TestNode.await(client.request(address, body));
  }

  private static JsonObject chatId(String id) {
    return new JsonObject().put("chatId", id);
  }

  /** A student and a teacher in an open chat; returns the chat. */
  private JsonObject openChat(BridgeClient student, BridgeClient teacher) {
    ok(student, "tutor.student.ready", new JsonObject());
    JsonObject chat = ok(teacher, "tutor.teacher.claim", new JsonObject()).getJsonObject("chat");
    assertNotNull(chat);
    return chat;
  }

  @Test
  @Timeout(20)
  @DisplayName("400: missing or wrongly typed fields, a body that is not an object, and frames that are not JSON")
  void badRequest() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    String id = openChat(s1, t1).getString("chatId");

    expect(400, s1.request("tutor.chat.send", new JsonObject().put("text", "hi")), "send without chatId");
    expect(400, s1.request("tutor.chat.send", chatId(id)), "send without text");
    expect(400, s1.request("tutor.chat.send", chatId(id).put("text", 42)), "text a number");
    expect(400, s1.request("tutor.chat.send", new JsonObject().put("chatId", 7).put("text", "hi")), "chatId a number");
    expect(400, s1.request("tutor.chat.send", chatId(id).put("text", "   ")), "blank text");
    expect(400, s1.request("tutor.chat.history", chatId(id).put("afterSeq", "3")), "afterSeq a string");
    expect(400, s1.request("tutor.chat.history", chatId(id).put("afterSeq", 1.5)), "afterSeq a fraction");
    expect(400, s1.request("tutor.chat.history", chatId(id).put("afterSeq", -1)), "afterSeq negative");
    expect(400, s1.request("tutor.chat.history", new JsonObject()), "history without chatId");
    expect(400, t1.request("tutor.chat.end", chatId(id).put("chatId", true)), "chatId a boolean");
    expect(400, t1.request("tutor.chat.end", new JsonObject()), "end without chatId");

    // frames the BridgeClient would never write: sent raw, answered by err frames no request is waiting for
    Pushes errors = new Pushes();
    s1.errorHandler(errors::add);
    s1.writeFrame(new JsonObject().put("type", "send").put("address", "tutor.me").put("body", "me").put("replyAddress", "raw.1"));
    JsonObject notAnObject = errors.await(f -> "raw.1".equals(f.getString("address")));
    assertEquals(400, notAnObject.getInteger("failureCode"), "a body that is not a JSON object");
    s1.writeText("{not json");
    assertEquals(400, errors.await(f -> f.getString("message", "").contains("JSON")).getInteger("failureCode"));
    s1.writeFrame(new JsonObject().put("type", "shout").put("address", "tutor.me"));
    assertEquals(400, errors.await(f -> f.getString("message", "").contains("type")).getInteger("failureCode"));
    s1.writeFrame(new JsonObject().put("type", "send").put("address", 12).put("replyAddress", "raw.2"));
    assertEquals(400, errors.await(f -> "raw.2".equals(f.getString("address"))).getInteger("failureCode"), "address a number");

    // none of it changed anything, and the socket still works
    JsonObject history = ok(s1, "tutor.chat.history", chatId(id));
    assertEquals(0, history.getJsonArray("messages").size());
    assertEquals(1, ok(s1, "tutor.chat.send", chatId(id).put("text", "still here")).getInteger("seq"));
  }

  @Test
  @Timeout(20)
  @DisplayName("401: a WebSocket without a valid token is refused at the upgrade, so no frame is ever processed")
  void unauthenticated() {
    for (String token : new String[] {null, "", "not-a-jwt", forgedToken()}) {
      RuntimeException refused = assertThrows(RuntimeException.class, () -> node.connectWithToken(token),
          "connecting with token " + token);
      UpgradeRejectedException rejected = assertInstanceOf(UpgradeRejectedException.class, refused, "token " + token);
      assertEquals(401, rejected.getStatus(), "token " + token);
    }
    // the refused clients left no trace: nobody is waiting
    BridgeClient admin = node.connect("admin1", "admin");
    Pushes status = new Pushes();
    admin.register("tutor.status", status::add);
    JsonObject current = status.await("status");
    assertEquals(0, current.getInteger("students"));
    assertEquals(0, current.getInteger("teachers"));
  }

  /** A well-formed token for a teacher, signed with a key the node does not know. */
  private String forgedToken() {
    JWTAuth other = JWTAuth.create(node.vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer("some-other-secret-entirely")));
    return other.generateToken(new JsonObject().put("sub", "t1").put("role", "teacher"),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(600));
  }

  @Test
  @Timeout(20)
  @DisplayName("403: wrong role, not a participant, not the chat's teacher, or an address outside the contract")
  void forbidden() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    BridgeClient s2 = node.connect("s2", "student");
    BridgeClient t2 = node.connect("t2", "teacher");
    String id = openChat(s1, t1).getString("chatId");

    expect(403, s1.request("tutor.teacher.claim", new JsonObject()), "a student claims");
    expect(403, t2.request("tutor.student.ready", new JsonObject()), "a teacher readies");
    expect(403, s2.request("tutor.chat.send", chatId(id).put("text", "let me in")), "a non-participant sends");
    expect(403, t2.request("tutor.chat.send", chatId(id).put("text", "let me in")), "another teacher sends");
    expect(403, s2.request("tutor.chat.history", chatId(id)), "a non-participant reads history");
    expect(403, t2.request("tutor.chat.history", chatId(id)), "another teacher reads history");
    expect(403, s1.request("tutor.chat.end", chatId(id)), "the student ends the chat");
    expect(403, t2.request("tutor.chat.end", chatId(id)), "another teacher ends the chat");
    // internal addresses are not reachable from a socket, whoever asks
    expect(403, t1.request("tutor.internal.chat.close", chatId(id).put("by", "s1")), "an internal address");
    expect(403, s2.request("tutor.internal.chat.open", new JsonObject().put("teacherId", "t2").put("studentId", "s2")),
        "an internal address");
    expect(403, s1.request("no.such.address", new JsonObject()), "an address outside the contract");

    Pushes errors = new Pushes();
    t1.errorHandler(errors::add);
    t1.writeFrame(new JsonObject().put("type", "publish").put("address", "tutor.user.s1")
        .put("body", new JsonObject().put("type", "chat.ended").put("chatId", id)));
    assertEquals(403, errors.await(f -> "tutor.user.s1".equals(f.getString("address"))).getInteger("failureCode"),
        "clients may not publish");

    // nothing changed: the chat is open, with no line in it, and nobody else joined the queue
    JsonObject state = ok(s1, "tutor.chat.history", chatId(id)).getJsonObject("chat");
    assertEquals("open", state.getString("state"));
    assertEquals(0L, state.getLong("lastSeq"));
    assertEquals(null, ok(t2, "tutor.me", new JsonObject()).getValue("position"));
    assertEquals(0, ok(t2, "tutor.me", new JsonObject()).getJsonArray("chats").size());
  }

  @Test
  @Timeout(20)
  @DisplayName("404: send, end and history of an unknown chatId")
  void notFound() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    openChat(s1, t1);
    BridgeClient admin = node.connect("admin1", "admin");
    expect(404, s1.request("tutor.chat.send", chatId("no-such-chat").put("text", "hi")), "send");
    expect(404, t1.request("tutor.chat.end", chatId("no-such-chat")), "end");
    expect(404, t1.request("tutor.chat.history", chatId("no-such-chat")), "history");
    expect(404, admin.request("tutor.chat.history", chatId("no-such-chat").put("afterSeq", 0)), "admin history");
  }

  @Test
  @Timeout(20)
  @DisplayName("409: send to or end an ended chat, claim at capacity, ready while in a chat")
  void conflict() {
    node.close();
    node = TestNode.start("--capacity", "1");
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    String id = openChat(s1, t1).getString("chatId");

    expect(409, s1.request("tutor.student.ready", new JsonObject()), "a student already in a chat readies");
    ok(node.connect("s2", "student"), "tutor.student.ready", new JsonObject());
    expect(409, t1.request("tutor.teacher.claim", new JsonObject()), "claim at capacity");

    ok(s1, "tutor.chat.send", chatId(id).put("text", "one line"));
    ok(t1, "tutor.chat.end", chatId(id));
    expect(409, s1.request("tutor.chat.send", chatId(id).put("text", "too late")), "student sends to an ended chat");
    expect(409, t1.request("tutor.chat.send", chatId(id).put("text", "too late")), "teacher sends to an ended chat");
    expect(409, t1.request("tutor.chat.end", chatId(id)), "end an ended chat");

    JsonObject history = ok(t1, "tutor.chat.history", chatId(id));
    assertEquals(1, history.getJsonArray("messages").size(), "the refused lines were not written");
    assertEquals("ended", history.getJsonObject("chat").getString("state"));
    assertEquals("ended", history.getJsonObject("chat").getString("reason"), "a second end did not overwrite the first");
    // the student may queue again once its chat is over
    assertEquals(2, ok(s1, "tutor.student.ready", new JsonObject()).getInteger("position"));
  }

  @Test
  @Timeout(20)
  @DisplayName("413: a line longer than 4000 characters is refused; exactly 4000 is accepted")
  void tooLarge() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    String id = openChat(s1, t1).getString("chatId");
    expect(413, s1.request("tutor.chat.send", chatId(id).put("text", "x".repeat(4001))), "4001 characters");
    expect(413, t1.request("tutor.chat.send", chatId(id).put("text", "y".repeat(20_000))), "20000 characters");
    assertEquals(1, ok(s1, "tutor.chat.send", chatId(id).put("text", "x".repeat(4000))).getInteger("seq"),
        "the refused lines took no seq");
    // characters, not UTF-16 units: 4000 emoji are 8000 chars in Java and still one allowed line
    assertEquals(2, ok(s1, "tutor.chat.send", chatId(id).put("text", "\uD83D\uDE00".repeat(4000))).getInteger("seq"));
  }

  @Test
  @Timeout(20)
  @DisplayName("429: with --rate-burst 3 --rate 1, ten requests at once get three answers and 429 for the rest")
  void tooManyRequests() {
    node.close();
    node = TestNode.start("--rate-burst", "3", "--rate", "1");
    BridgeClient s1 = node.connect("s1", "student");
    List<Future<JsonObject>> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) requests.add(s1.request("tutor.me", new JsonObject()));
    TestNode.await(Future.join(requests).otherwiseEmpty());
    int answered = 0;
    int limited = 0;
    for (Future<JsonObject> r : requests) {
      if (r.succeeded()) {
        answered++;
      } else {
        BridgeError e = assertInstanceOf(BridgeError.class, r.cause());
        assertEquals(429, e.code(), e.getMessage());
        limited++;
      }
    }
    assertTrue(answered >= 3 && answered <= 4, "the burst (plus at most one refill) is answered: " + answered);
    assertEquals(10 - answered, limited);
    // the limit is per socket: another connection of the same user is served
    assertEquals("s1", ok(node.connect("s1", "student"), "tutor.me", new JsonObject()).getString("userId"));
  }

  @Test
  @Timeout(20)
  @DisplayName("503: with the chat verticle undeployed, chat requests fail with 503 and a message, and the node keeps serving")
  void unavailable() {
    BridgeClient s1 = node.connect("s1", "student");
    BridgeClient t1 = node.connect("t1", "teacher");
    String id = openChat(s1, t1).getString("chatId");
    TestNode.await(node.vertx.undeploy(node.deployment.chat()));

    expect(503, s1.request("tutor.chat.send", chatId(id).put("text", "anyone?")), "send");
    expect(503, t1.request("tutor.chat.history", chatId(id)), "history");
    expect(503, t1.request("tutor.chat.end", chatId(id)), "end");

    BridgeClient s2 = node.connect("s2", "student");
    JsonObject me = ok(s2, "tutor.me", new JsonObject());
    assertEquals("s2", me.getString("userId"));
    assertEquals(1, ok(s2, "tutor.student.ready", new JsonObject()).getInteger("position"), "the roster still serves");
    // opening a chat needs the chat service: the claim fails and the student keeps its place
    BridgeClient t2 = node.connect("t2", "teacher");
    expect(503, t2.request("tutor.teacher.claim", new JsonObject()), "claim");
    assertEquals(1, ok(s2, "tutor.me", new JsonObject()).getInteger("position"), "a failed claim puts the student back");
  }
}
