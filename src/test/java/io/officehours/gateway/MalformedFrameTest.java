package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on the raw WebSocket bridge: every case gets an {@code err} frame or a close, never a
 * crash, hang or leak. After each case the same node still serves a fresh client, the bad socket
 * (when still open) still answers a valid request and shows that the bad frame changed nothing, and
 * once the bad socket is gone presence reports it left (its connection was cleaned up).
 */
@DisplayName("Malformed frames get an err frame or a close, and the node keeps serving")
class MalformedFrameTest {

  private static final int MAX_FRAME = 65536;
  private static final short MESSAGE_TOO_BIG = 1009;
  private static final long WAIT_SECONDS = 3;
  private static final AtomicInteger USERS = new AtomicInteger();

  private static TestNode node;
  /** An admin watching tutor.presence: a bad socket's join and leave show it was adopted and cleaned up. */
  private static Pushes presence;

  @BeforeAll
  static void start() {
    node = TestNode.start();
    presence = new Pushes();
    BridgeClient admin = node.connect("watcher", "admin");
    admin.register("tutor.presence", presence::add);
    presence.await("presence.state");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A student socket that will misbehave; err frames answering no request land in {@code errors}. */
  private record BadSocket(String userId, BridgeClient client, Pushes errors) {
    JsonObject nextError() {
      return errors.await(e -> true);
    }
  }

  private static BadSocket badSocket() {
    String userId = "bad" + USERS.incrementAndGet();
    BridgeClient client = node.connect(userId, "student");
    Pushes errors = new Pushes();
    client.errorHandler(errors::add);
    // seen joined first, so its leave later cannot cancel out inside one presence batch
    presence.await(diff -> "presence.diff".equals(diff.getString("type")) && diff.getJsonObject("joins").containsKey(userId));
    return new BadSocket(userId, client, errors);
  }

  static Stream<Arguments> badFrames() {
    String ready = "\"address\":\"tutor.student.ready\"";
    return Stream.of(
        Arguments.of("not JSON", "hello {", 400, null),
        Arguments.of("a JSON array", "[{\"type\":\"send\"," + ready + ",\"body\":{}}]", 400, null),
        Arguments.of("a JSON string", "\"send\"", 400, null),
        Arguments.of("a JSON number", "42", 400, null),
        Arguments.of("JSON null", "null", 400, null),
        Arguments.of("an empty text frame", "", 400, null),
        Arguments.of("a frame without type", "{" + ready + ",\"body\":{}}", 400, null),
        Arguments.of("an unknown type", "{\"type\":\"shout\"," + ready + ",\"body\":{}}", 400, null),
        Arguments.of("a type that is not a string", "{\"type\":7," + ready + ",\"body\":{}}", 400, null),
        Arguments.of("a send without address", "{\"type\":\"send\",\"body\":{},\"replyAddress\":\"m.1\"}", 400, "m.1"),
        Arguments.of("a send whose address is a number", "{\"type\":\"send\",\"address\":12,\"body\":{},\"replyAddress\":\"m.2\"}", 400, "m.2"),
        Arguments.of("a send whose address has 257 characters",
            "{\"type\":\"send\",\"address\":\"tutor.student.ready" + "x".repeat(257 - 19) + "\",\"body\":{},\"replyAddress\":\"m.3\"}", 400, "m.3"),
        Arguments.of("a send to a 256-character address outside the contract",
            "{\"type\":\"send\",\"address\":\"tutor." + "x".repeat(250) + "\",\"body\":{},\"replyAddress\":\"m.4\"}", 403, "m.4"),
        Arguments.of("a send whose body is a string", "{\"type\":\"send\"," + ready + ",\"body\":\"{}\",\"replyAddress\":\"m.5\"}", 400, "m.5"),
        Arguments.of("a send whose body is an array", "{\"type\":\"send\"," + ready + ",\"body\":[],\"replyAddress\":\"m.6\"}", 400, "m.6"),
        Arguments.of("a send whose replyAddress is a number", "{\"type\":\"send\"," + ready + ",\"body\":{},\"replyAddress\":7}", 400, null),
        Arguments.of("10,000 nested arrays", "[".repeat(10_000) + "]".repeat(10_000), 400, null),
        Arguments.of("a body nested 10,000 objects deep",
            "{\"type\":\"send\"," + ready + ",\"replyAddress\":\"m.7\",\"body\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_001),
            400, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFrames")
  @Timeout(10)
  @DisplayName("A bad text frame gets one err frame with the right code, changes nothing, and the socket stays usable")
  void badTextFrame(String what, String frame, int code, String address) {
    assertTrue(frame.length() <= MAX_FRAME, "the case fits in a frame: " + what);
    BadSocket bad = badSocket();
    bad.client().writeText(frame);

    JsonObject err = bad.nextError();
    assertEquals("err", err.getString("type"));
    assertEquals(code, err.getInteger("failureCode"), what + ": " + err);
    assertEquals(address, err.getString("address"), what + ": err frame address");
    assertNotNull(err.getString("message"), "says what was wrong");

    assertStillServed(bad);
    assertEquals(1, bad.errors().all().size(), "one bad frame, one err frame: " + bad.errors().all());
  }

  @Test
  @Timeout(10)
  @DisplayName("A 1 MiB text frame closes the raw socket with 1009; another open socket and new clients are unaffected")
  void oneMebibyteText() {
    BridgeClient bystander = node.connect("bystander-text", "student");
    BadSocket bad = badSocket();
    bad.client().writeText("x".repeat(1 << 20));
    assertClosedTooBig(bad);
    assertEquals("bystander-text", TestNode.await(bystander.request("tutor.me", new JsonObject())).getString("userId"));
    assertStillServed(bad);
    bystander.close();
  }

  @Test
  @Timeout(10)
  @DisplayName("A 1 MiB binary frame closes the raw socket with 1009; another open socket and new clients are unaffected")
  void oneMebibyteBinary() {
    BridgeClient bystander = node.connect("bystander-binary", "student");
    BadSocket bad = badSocket();
    bad.client().writeBinary(Buffer.buffer(new byte[1 << 20]));
    assertClosedTooBig(bad);
    assertEquals("bystander-binary", TestNode.await(bystander.request("tutor.me", new JsonObject())).getString("userId"));
    assertStillServed(bad);
    bystander.close();
  }

  @Test
  @Timeout(10)
  @DisplayName("A request frame one byte over 64 KiB closes the raw socket with 1009 and is not executed")
  void justOverTheLimit() {
    BadSocket bad = badSocket();
    bad.client().writeText(padded("tutor.student.ready", "x.1", MAX_FRAME + 1));
    assertClosedTooBig(bad);
    assertNotQueued(bad.userId());
    assertStillServed(bad);
  }

  @Test
  @Timeout(10)
  @DisplayName("A request frame of exactly 64 KiB is within the limit and answered")
  void exactlyAtTheLimit() {
    BadSocket bad = badSocket();
    // the reply to an address the client did not pend on comes as a rec frame BridgeClient ignores:
    // so ask for a failure (a student may not claim), which arrives as a stray err on that address
    bad.client().writeText(padded("tutor.teacher.claim", "x.2", MAX_FRAME));
    JsonObject err = bad.nextError();
    assertEquals("x.2", err.getString("address"), "answered on its replyAddress: " + err);
    assertEquals(403, err.getInteger("failureCode"), "the service ran and refused a student's claim");
    assertFalse(bad.client().isClosed());
    assertStillServed(bad);
  }

  @Test
  @Timeout(10)
  @DisplayName("The tail fragment of an oversized message is never read as a frame of its own")
  void oversizedMessageTailIsNotAFrame() {
    String userId = "smuggler";
    WebSocket ws = TestNode.await(node.ws.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(node.port).setURI("/eventbus/websocket?token=" + node.token(userId, "student"))));
    // whichever comes first: the close, or an answer to the tail as if it were a frame
    Promise<String> outcome = Promise.promise();
    ws.closeHandler(v -> outcome.tryComplete("closed " + ws.closeStatusCode()));
    ws.textMessageHandler(text -> outcome.tryComplete("answered " + text));
    String tail = new JsonObject().put("type", "send").put("address", "tutor.student.ready")
        .put("body", new JsonObject()).put("replyAddress", "tail.1").encode();
    ws.writeFrame(WebSocketFrame.textFrame("x".repeat(MAX_FRAME), false));
    ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("y".repeat(MAX_FRAME)), false));
    ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(tail), true));

    assertEquals("closed " + MESSAGE_TOO_BIG, within(outcome.future(), "a close or an answer"));
    assertNotQueued(userId);
  }

  @Test
  @Timeout(10)
  @DisplayName("A binary frame of invalid UTF-8 gets a 400 err frame and the socket stays usable")
  void invalidUtf8Binary() {
    BadSocket bad = badSocket();
    bad.client().writeBinary(Buffer.buffer(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
    JsonObject err = bad.nextError();
    assertEquals(400, err.getInteger("failureCode"), err.encode());
    assertStillServed(bad);
  }

  @Test
  @Timeout(10)
  @DisplayName("An empty binary frame gets a 400 err frame and the socket stays usable")
  void emptyBinary() {
    BadSocket bad = badSocket();
    bad.client().writeBinary(Buffer.buffer());
    assertEquals(400, bad.nextError().getInteger("failureCode"));
    assertStillServed(bad);
  }

  @Test
  @Timeout(10)
  @DisplayName("Publish is refused with 403 on every address, the contract's ones included")
  void publishRefused() {
    BadSocket bad = badSocket();
    String[] addresses = {"tutor.student.ready", "tutor.me", "tutor.user." + bad.userId(), "tutor.status", "no.such.address"};
    for (String address : addresses) {
      bad.client().writeFrame(new JsonObject().put("type", "publish").put("address", address).put("body", new JsonObject()));
      JsonObject err = bad.nextError();
      assertEquals(403, err.getInteger("failureCode"), address + ": " + err);
      assertEquals(address, err.getString("address"));
    }
    assertNotQueued(bad.userId());
    assertStillServed(bad);
  }

  @Test
  @Timeout(10)
  @DisplayName("Register of an unknown address, another user's inbox or a staff topic is refused with an err frame")
  void registerRefused() {
    BadSocket bad = badSocket();
    String[] addresses = {"no.such.address", "tutor.user.someone-else", "tutor.status", "tutor.presence", "tutor.internal.deliver"};
    for (String address : addresses) {
      Promise<BridgeError> refused = Promise.promise();
      bad.client().register(address, push -> refused.tryFail("a push arrived on " + address + ": " + push), refused::tryComplete);
      assertEquals(403, within(refused.future(), "the refusal of " + address).code(), address);
    }
    assertStillServed(bad);
  }

  private static String padded(String address, String replyAddress, int bytes) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address)
        .put("replyAddress", replyAddress).put("body", new JsonObject().put("pad", ""));
    String text = frame.put("body", new JsonObject().put("pad", "p".repeat(bytes - frame.encode().length()))).encode();
    assertEquals(bytes, text.length());
    return text;
  }

  private static <T> T within(Future<T> future, String what) {
    return Waits.within(future, WAIT_SECONDS, what);
  }

  private static void assertClosedTooBig(BadSocket bad) {
    within(bad.client().closeFuture(), "the close of the socket (the server neither closed it nor answered)");
    assertEquals(MESSAGE_TOO_BIG, bad.client().closeStatus(), "close status");
    assertTrue(bad.errors().all().isEmpty(), "no err frame besides the close: " + bad.errors().all());
  }

  /** The user is in no queue: the bad frame was not executed. Asked over a fresh socket of that user. */
  private static void assertNotQueued(String userId) {
    BridgeClient same = node.connect(userId, "student");
    assertNull(TestNode.await(same.request("tutor.me", new JsonObject())).getValue("position"), userId + " was queued");
    TestNode.await(same.close());
  }

  /**
   * The node serves a fresh student; the bad socket, when open, answers a valid request and shows
   * it changed nothing; once closed its connection is gone from presence.
   */
  private static void assertStillServed(BadSocket bad) {
    BridgeClient fresh = node.connect("fresh" + USERS.incrementAndGet(), "student");
    int position = TestNode.await(fresh.request("tutor.student.ready", new JsonObject())).getInteger("position");
    assertTrue(position >= 1, "queued at " + position);
    assertEquals(position, TestNode.await(fresh.request("tutor.me", new JsonObject())).getInteger("position"));
    TestNode.await(fresh.close());

    if (!bad.client().isClosed()) {
      JsonObject me = TestNode.await(bad.client().request("tutor.me", new JsonObject()));
      assertEquals(bad.userId(), me.getString("userId"));
      assertNull(me.getValue("position"), "the bad frame changed nothing: " + me);
      TestNode.await(bad.client().close());
    }
    presence.await(diff -> "presence.diff".equals(diff.getString("type")) && diff.getJsonObject("leaves").containsKey(bad.userId()));
  }
}
