package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SockJS xhr-polling transport spoken by hand over plain HTTP, as a browser falls back to it:
 * {@code /eventbus/<server>/<session>/xhr} opens and polls, {@code .../xhr_send} sends; the token
 * rides in the query of every request.
 */
@DisplayName("SockJS xhr-polling carries the bridge frames both ways")
class SockJsTransportTest {

  private static final int MAX_FRAME = 65536;
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A SockJS session of one user, opened with its "o" frame. */
  private record Session(String path, String query, List<JsonObject> received) {
    static Session open(String userId, String role) {
      Session s = new Session(SockJsHttp.newSession(), SockJsHttp.query(node.token(userId, role)), new ArrayList<>());
      TestNode.HttpResponse open = SockJsHttp.post(node, s.path + "/xhr" + s.query, null);
      assertEquals(200, open.status(), open.body());
      assertEquals("o\n", open.body(), "SockJS open frame");
      return s;
    }

    /** Sends bridge frames in one xhr_send, each as a JSON string inside the SockJS array. */
    TestNode.HttpResponse send(JsonObject... frames) {
      JsonArray messages = new JsonArray();
      for (JsonObject f : frames) messages.add(f.encode());
      return sendRaw(messages.encode());
    }

    TestNode.HttpResponse sendRaw(String body) {
      return SockJsHttp.post(node, path + "/xhr_send" + query, body);
    }

    /** Polls until a received bridge frame matches; each poll returns as soon as the session has frames. */
    JsonObject pollUntil(Predicate<JsonObject> match) {
      for (int polls = 0; polls < 10; polls++) {
        for (JsonObject frame : received) {
          if (match.test(frame)) {
            received.remove(frame);
            return frame;
          }
        }
        TestNode.HttpResponse r = SockJsHttp.post(node, path + "/xhr" + query, null);
        assertEquals(200, r.status(), r.body());
        String body = r.body().trim();
        if (body.startsWith("a")) {
          new JsonArray(body.substring(1)).forEach(m -> received.add(new JsonObject((String) m)));
        } else if (body.startsWith("c")) {
          fail("session closed: " + body);
        }
      }
      return fail("no matching frame in 10 polls; received " + received);
    }
  }

  private static JsonObject request(String address, JsonObject body, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress);
  }

  private static Predicate<JsonObject> on(String type, String address) {
    return f -> type.equals(f.getString("type")) && address.equals(f.getString("address"));
  }

  @Test
  @Timeout(15)
  @DisplayName("The info request works without a token; a session opens with 'o', sends tutor.me and polls its rec reply")
  void requestAndReply() {
    TestNode.HttpResponse info = SockJsHttp.get(node, "/eventbus/info");
    assertEquals(200, info.status(), info.body());
    assertTrue(new JsonObject(info.body()).containsKey("websocket"), info.body());

    Session s = Session.open("sj1", "student");
    assertEquals(204, s.send(request("tutor.me", new JsonObject(), "r.1")).status());
    JsonObject rec = s.pollUntil(on("rec", "r.1"));
    JsonObject me = rec.getJsonObject("body");
    assertEquals("sj1", me.getString("userId"));
    assertEquals("student", me.getString("role"));
    assertNull(me.getValue("position"));

    assertEquals(204, s.send(request("tutor.student.ready", new JsonObject(), "r.2"), request("tutor.me", new JsonObject(), "r.3")).status());
    int position = s.pollUntil(on("rec", "r.2")).getJsonObject("body").getInteger("position");
    assertEquals(position, s.pollUntil(on("rec", "r.3")).getJsonObject("body").getInteger("position"), "two frames in one send, in order");
  }

  @Test
  @Timeout(15)
  @DisplayName("A push to a registered inbox reaches a SockJS session: chat.started when a teacher claims")
  void pushReachesSession() {
    Session s = Session.open("sj2", "student");
    assertEquals(204, s.send(new JsonObject().put("type", "register").put("address", "tutor.user.sj2"),
        request("tutor.student.ready", new JsonObject(), "r.1")).status());
    s.pollUntil(on("rec", "r.1"));

    BridgeClient teacher = node.connect("sjt", "teacher");
    JsonObject chat = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
    assertEquals("sj2", chat.getString("studentId"));
    JsonObject started = s.pollUntil(on("rec", "tutor.user.sj2")).getJsonObject("body");
    assertEquals("chat.started", started.getString("type"));
    assertEquals(chat.getString("chatId"), started.getJsonObject("chat").getString("chatId"));
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chat.getString("chatId"))));
  }

  @Test
  @Timeout(15)
  @DisplayName("An xhr_send over 128 KiB is refused with 413 and the session keeps working")
  void oversizedSendRefused() {
    Session s = Session.open("sj3", "student");
    String huge = new JsonArray().add("x".repeat(2 * MAX_FRAME)).encode();
    assertTrue(huge.length() > 2 * MAX_FRAME);
    TestNode.HttpResponse r = s.sendRaw(huge);
    assertEquals(413, r.status(), r.body());

    assertEquals(204, s.send(request("tutor.me", new JsonObject(), "r.1")).status());
    assertEquals("sj3", s.pollUntil(on("rec", "r.1")).getJsonObject("body").getString("userId"));
  }

  @Test
  @Timeout(15)
  @DisplayName("A SockJS message over 64 KiB (in a send under 128 KiB) gets a 413 err frame and is not executed")
  void oversizedMessageRefused() {
    Session s = Session.open("sj4", "student");
    JsonObject big = request("tutor.student.ready", new JsonObject().put("pad", "p".repeat(MAX_FRAME)), "r.big");
    assertEquals(204, s.send(big).status());
    JsonObject err = s.pollUntil(f -> "err".equals(f.getString("type")));
    assertEquals(413, err.getInteger("failureCode"), err.encode());

    assertEquals(204, s.send(request("tutor.me", new JsonObject(), "r.1")).status());
    assertNull(s.pollUntil(on("rec", "r.1")).getJsonObject("body").getValue("position"), "the big ready was not executed");
  }

  @Test
  @Timeout(15)
  @DisplayName("A bad frame over SockJS gets a 400 err frame and the session keeps working")
  void badFrameOverSockJs() {
    Session s = Session.open("sj5", "student");
    assertEquals(204, s.sendRaw(new JsonArray().add("not json").encode()).status());
    assertEquals(400, s.pollUntil(f -> "err".equals(f.getString("type"))).getInteger("failureCode"));
    assertEquals(204, s.send(request("tutor.me", new JsonObject(), "r.1")).status());
    assertEquals("sj5", s.pollUntil(on("rec", "r.1")).getJsonObject("body").getString("userId"));
  }

  @Test
  @Timeout(15)
  @DisplayName("A session answers only the user whose token opened it: another user's valid token cannot send or poll on it")
  void sessionBoundToItsUser() {
    Session victim = Session.open("sj6", "student");
    String intruder = SockJsHttp.query(node.token("sj7", "student"));
    String send = new JsonArray().add(request("tutor.student.ready", new JsonObject(), "r.x").encode()).encode();

    TestNode.HttpResponse sent = SockJsHttp.post(node, victim.path() + "/xhr_send" + intruder, send);
    assertTrue(sent.status() == 401 || sent.status() == 403, "send with another user's token: " + sent.status());
    TestNode.HttpResponse polled = SockJsHttp.post(node, victim.path() + "/xhr" + intruder, null);
    assertTrue(polled.status() == 401 || polled.status() == 403, "poll with another user's token: " + polled.status() + " " + polled.body());

    assertEquals(204, victim.send(request("tutor.me", new JsonObject(), "r.1")).status());
    assertNull(victim.pollUntil(on("rec", "r.1")).getJsonObject("body").getValue("position"), "the intruder's ready ran as sj6");
  }
}
