package io.officehours.gateway;

import io.officehours.admin.AdminAddresses;
import io.officehours.admin.AdminSend;
import io.officehours.admin.TapEntry;
import io.officehours.chat.ChatAddresses;
import io.officehours.chat.ChatLines;
import io.officehours.common.Caller;
import io.officehours.common.Failure;
import io.officehours.common.JsonText;
import io.officehours.config.Config;
import io.officehours.presence.PresenceAddresses;
import io.officehours.push.InboxAddresses;
import io.officehours.status.StatusAddresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One client socket of the bridge, on any transport. Every frame the client sends passes here and
 * only here: size, UTF-8, JSON shape, rate limit, the address policy, and then the request goes to
 * its service with the caller's identity in headers (never from the body). Anything wrong is
 * answered with an {@code err} frame and changes nothing; the socket stays usable.
 *
 * <p>Closing, whether the client left, the ping timeout reaped it or the node refused it, goes
 * through {@link #closed()} once: its registrations are dropped and presence is told.
 */
final class BridgeConnection {

  private final Bridge bridge;
  private final ClientSocket socket;
  private final Identity identity;
  private final Caller caller;
  private final Set<String> registrations = new HashSet<>(4);
  private final RateLimiter limiter;
  private long lastSeen;
  private boolean closed;
  /**
   * Lines this socket sent over the event bus (a cluster, or a node without the straight path) and
   * not answered yet. Meanwhile the pushes to its inbox wait in {@link #held}: a push the line
   * caused (its own copy, or a chat.ended the other participant sent on reading it) can reach this
   * node before the line's answer, which comes back another way. Bounded by the rate limit and
   * the request timeout.
   */
  private int linesInFlight;
  private List<byte[]> held;
  /**
   * While its inbox registration is announced to the other nodes (see {@link PresenceAddresses#ANNOUNCE}),
   * the socket's next frames wait here, so that nothing they cause is pushed before every node
   * knows where to push it. A few milliseconds; at most {@value #MAX_WAITING} frames.
   */
  private boolean announcing;
  private ArrayDeque<String> waiting;
  static final int MAX_WAITING = 100;

  BridgeConnection(Bridge bridge, ClientSocket socket, Identity identity, String ref, long now) {
    this.bridge = bridge;
    this.socket = socket;
    this.identity = identity;
    this.caller = new Caller(identity.userId(), identity.role(), ref);
    Config config = bridge.config();
    this.limiter = new RateLimiter(config.rateBurst(), config.ratePerSecond(), now);
    this.lastSeen = now;
  }

  Identity identity() {
    return identity;
  }

  String ref() {
    return caller.connectionRef();
  }

  long lastSeen() {
    return lastSeen;
  }

  /** A frame that came as bytes (binary WebSocket frame, SockJS message): it must be valid UTF-8. */
  void onBytes(Buffer data) {
    if (closed) return;
    if (data.length() > bridge.config().maxFrameBytes()) {
      tooLarge();
      return;
    }
    try {
      onText(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data.getBytes())).toString());
    } catch (CharacterCodingException e) {
      lastSeen = bridge.now();
      badFrame("frame is not valid UTF-8");
    }
  }

  void onText(String text) {
    if (closed) return;
    lastSeen = bridge.now();
    if (announcing) {
      waitForAnnouncement(text);
      return;
    }
    if (text.length() > bridge.config().maxFrameBytes()) {
      tooLarge();
      return;
    }
    InboundFrame frame;
    try {
      frame = InboundFrame.parse(text);
    } catch (DecodeException e) {
      badFrame("frame is not valid JSON");
      return;
    }
    if (frame == null) {
      badFrame("frame must be a JSON object");
      return;
    }
    Object type = frame.type();
    bridge.metrics().frameIn(type instanceof String t ? t : "invalid");
    if (!limiter.tryAcquire(lastSeen)) {
      write(Frames.err(replyAddressOrNull(frame), Failure.TOO_MANY, "too many frames: slow down"));
      return;
    }
    if (!(type instanceof String)) {
      write(Frames.err(null, Failure.BAD_REQUEST, "frame needs a string 'type'"));
      return;
    }
    if (TAPPED_TYPES.contains(type)) {
      Object address = frame.address();
      bridge.tap().record(TapEntry.IN, (String) type, address instanceof String a ? a : "", identity.userId(), text.length(),
          frame.body(), 0);
    }
    switch ((String) type) {
      case "ping" -> { }
      case "send" -> send(frame);
      case "publish" -> publish(frame);
      case "register" -> register(frame);
      case "unregister" -> unregister(frame);
      default -> write(Frames.err(null, Failure.BAD_REQUEST, "unknown frame type"));
    }
  }

  private void waitForAnnouncement(String text) {
    if (waiting.size() >= MAX_WAITING) {
      write(Frames.err(null, Failure.TOO_MANY, "too many frames: slow down"));
      return;
    }
    waiting.add(text);
  }

  /** Tells every node this socket holds its user's inbox, and handles its next frames once they know. */
  private void announce() {
    announcing = true;
    if (waiting == null) waiting = new ArrayDeque<>(4);
    bridge.bus().request(PresenceAddresses.ANNOUNCE, new JsonObject().put("userId", identity.userId()).put("ref", ref()),
            new DeliveryOptions().setSendTimeout(bridge.config().requestTimeout().toMillis()))
        .onComplete(done -> {
          // a late or failed announcement only delays the socket: the presence replicas still catch up
          announcing = false;
          String next;
          while (!announcing && !closed && waiting != null && (next = waiting.poll()) != null) onText(next);
          if (!announcing) waiting = null;
        });
  }

  /** A frame that is not even a JSON object costs a token too; a socket that keeps sending them is closed. */
  private void badFrame(String why) {
    bridge.metrics().frameIn("invalid");
    if (!limiter.tryAcquire(lastSeen)) {
      close((short) 1008, "too many malformed frames");
      return;
    }
    write(Frames.err(null, Failure.BAD_REQUEST, why));
  }

  private void tooLarge() {
    bridge.metrics().frameIn("invalid");
    if (!limiter.tryAcquire(bridge.now())) {
      close((short) 1008, "too many malformed frames");
      return;
    }
    write(Frames.err(null, Failure.TOO_LARGE, "frame larger than " + bridge.config().maxFrameBytes() + " bytes"));
  }

  private void send(InboundFrame frame) {
    String replyAddress = optionalAddress(frame.replyAddress(), "replyAddress");
    if (replyAddress == INVALID) return;
    String address = requiredAddress(frame, replyAddress);
    if (address == null) return;
    Object body = frame.body();
    if (body != null && !(body instanceof JsonObject)) {
      write(Frames.err(replyAddress, Failure.BAD_REQUEST, "body must be a JSON object"));
      return;
    }
    String refusal = BridgePolicy.sendRefusal(identity, address);
    if (refusal != null) {
      write(Frames.err(replyAddress, Failure.FORBIDDEN, refusal));
      return;
    }
    bridge.metrics().request(address);
    if (bridge.lines() != null && ChatAddresses.SEND.equals(address)) {
      sendLine(replyAddress, body);
      return;
    }
    EventBus bus = bridge.bus();
    DeliveryOptions options = caller.toDeliveryOptions(timeoutOf(address));
    boolean line = ChatAddresses.SEND.equals(address);
    if (line) linesInFlight++;
    bus.<JsonObject>request(address, body == null ? new JsonObject() : body, options).onComplete(ar -> {
      if (ar.succeeded()) {
        if (replyAddress != null) {
          String encoded = ar.result().body().encode();
          String reply = Frames.rec(replyAddress, encoded);
          write(reply);
          bridge.tap().record(TapEntry.OUT, "reply", address, identity.userId(), reply.length(), encoded, 0);
        }
      } else {
        answerFailure(replyAddress, address, ar.cause());
      }
      if (line) lineAnswered();
    });
  }

  /** The last answer of the lines in flight is written: the pushes that waited for it follow. */
  private void lineAnswered() {
    if (--linesInFlight > 0 || held == null) return;
    List<byte[]> frames = held;
    held = null;
    for (byte[] frame : frames) write(frame);
  }

  /** A push to this socket's inbox, encoded already: written now, or after the answers of the lines in flight. */
  void push(byte[] frame) {
    if (linesInFlight == 0) {
      write(frame);
    } else if (!closed) {
      if (held == null) held = new ArrayList<>(4);
      held.add(frame);
    }
  }

  /** A request refused or failed: an {@code err} frame on its reply address, with the contract code. */
  private void answerFailure(String replyAddress, String address, Throwable cause) {
    String message = Failure.messageOf(cause);
    String err = Frames.err(replyAddress, Failure.codeOf(cause), message);
    write(err);
    bridge.tap().record(TapEntry.OUT, "err", address, identity.userId(), err.length(), message, 0);
  }

  /** A chat line on the straight path: written, answered and pushed from this event loop (see {@link ChatLines}). */
  private void sendLine(String replyAddress, Object body) {
    JsonObject b = (JsonObject) body;
    try {
      bridge.lines().send(identity.userId(), b == null ? null : b.getValue("chatId"), b == null ? null : b.getValue("text"),
          seq -> answerSeq(replyAddress, seq));
    } catch (ReplyException refused) {
      // only a refusal (a contract failure thrown before anything was stored) becomes an err frame
      answerFailure(replyAddress, ChatAddresses.SEND, refused);
    }
  }

  private void answerSeq(String replyAddress, long seq) {
    if (replyAddress == null) return;
    bridge.drainPushes();
    String body = "{\"seq\":" + seq + "}";
    byte[] frame = JsonText.utf8(Frames.recPrefix(replyAddress) + body + "}");
    write(frame);
    if (bridge.tap().on()) bridge.tap().record(TapEntry.OUT, "reply", ChatAddresses.SEND, identity.userId(), frame.length, body, 0);
  }

  /** An admin's send waits as long as the admin asked (up to its maximum): the gateway waits a little longer still. */
  private long timeoutOf(String address) {
    long timeout = bridge.config().requestTimeout().toMillis();
    return AdminAddresses.SEND.equals(address) ? Math.max(timeout, AdminSend.MAX_TIMEOUT_MS + 1000) : timeout;
  }

  private void publish(InboundFrame frame) {
    String address = requiredAddress(frame, null);
    if (address != null) write(Frames.err(address, Failure.FORBIDDEN, "clients may not publish: " + address));
  }

  private void register(InboundFrame frame) {
    String address = requiredAddress(frame, null);
    if (address == null || registrations.contains(address)) return;
    String refusal = BridgePolicy.registerRefusal(identity, address);
    if (refusal != null) {
      write(Frames.err(address, Failure.FORBIDDEN, refusal));
      return;
    }
    if (registrations.size() >= bridge.config().maxRegistrations()) {
      write(Frames.err(address, Failure.TOO_MANY, "too many registrations on one socket"));
      return;
    }
    registrations.add(address);
    String snapshotAddress = switch (address) {
      case StatusAddresses.TOPIC -> StatusAddresses.CURRENT;
      case PresenceAddresses.TOPIC -> PresenceAddresses.SNAPSHOT;
      default -> null;
    };
    if (snapshotAddress == null) {
      bridge.subscribe(address, this);
      if (address.equals(InboxAddresses.inbox(identity.userId()))) announce();
      return;
    }
    // the snapshot and the topic's pushes come from the same verticle in order, so subscribing on
    // the snapshot's reply misses no push (a push right after may repeat the snapshot's counts)
    bridge.bus().<JsonObject>request(snapshotAddress, new JsonObject(),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(bridge.config().requestTimeout().toMillis()))
        .map(Message::body)
        .onComplete(ar -> {
          if (closed || !registrations.contains(address)) return;
          if (ar.failed()) {
            registrations.remove(address);
            write(Frames.err(address, Failure.UNAVAILABLE, "cannot subscribe right now: " + Failure.messageOf(ar.cause())));
            return;
          }
          write(Frames.rec(address, ar.result()));
          bridge.subscribe(address, this);
        });
  }

  private void unregister(InboundFrame frame) {
    String address = requiredAddress(frame, null);
    if (address != null && registrations.remove(address)) bridge.unsubscribe(address, this);
  }

  private static final String INVALID = new String("invalid");

  /** Frame types the tap records: pings are noise, and an unknown type is the client's garbage. */
  private static final Set<String> TAPPED_TYPES = Set.of("send", "publish", "register", "unregister");

  /** The frame's optional address field, null when absent, or INVALID after answering 400. */
  private String optionalAddress(Object v, String field) {
    if (v == null) return null;
    if (!(v instanceof String s) || s.isEmpty() || s.length() > bridge.config().maxAddressLength()) {
      write(Frames.err(null, Failure.BAD_REQUEST, "'" + field + "' must be a string of 1 to "
          + bridge.config().maxAddressLength() + " characters"));
      return INVALID;
    }
    return s;
  }

  private String requiredAddress(InboundFrame frame, String replyAddress) {
    Object v = frame.address();
    if (!(v instanceof String s) || s.isEmpty() || s.length() > bridge.config().maxAddressLength()) {
      write(Frames.err(replyAddress, Failure.BAD_REQUEST, "'address' must be a string of 1 to "
          + bridge.config().maxAddressLength() + " characters"));
      return null;
    }
    return s;
  }

  private String replyAddressOrNull(InboundFrame frame) {
    Object v = frame.replyAddress();
    return v instanceof String s && s.length() <= bridge.config().maxAddressLength() ? s : null;
  }

  /** Writes a frame; a client that stopped reading while pushes pile up is dropped, not buffered forever. */
  void write(String frame) {
    if (closed) return;
    if (frame.startsWith(ERR_PREFIX)) bridge.metrics().error(errorCode(frame));
    if (!writable()) return;
    try {
      socket.write(frame);
      bridge.metrics().frameOut();
    } catch (IllegalStateException e) {
      // the client's close frame has arrived but the close handler has not run yet: Vert.x throws
      // "WebSocket is closed"; drop the frame so the fan-out loop goes on to the other sockets
    }
  }

  /** Writes a frame encoded already, under the same rules as {@link #write(String)}. */
  void write(byte[] frame) {
    if (!writable()) return;
    try {
      socket.write(frame);
      bridge.metrics().frameOut();
    } catch (IllegalStateException e) {
      // closing: see write(String)
    }
  }

  /** Open, and not a slow consumer: one whose queue is full is closed instead. */
  private boolean writable() {
    if (closed) return false;
    if (!socket.writeQueueFull()) return true;
    close((short) 1008, "slow consumer");
    return false;
  }

  private static final String ERR_PREFIX = "{\"type\":\"err\"";

  private static int errorCode(String errFrame) {
    int at = errFrame.indexOf("\"failureCode\":");
    if (at < 0) return 0;
    int start = at + "\"failureCode\":".length();
    int end = start;
    while (end < errFrame.length() && Character.isDigit(errFrame.charAt(end))) end++;
    return end > start ? Integer.parseInt(errFrame.substring(start, end)) : 0;
  }

  void close(short code, String reason) {
    if (closed) return;
    socket.close(code, reason);
    closed();
  }

  /** The one cleanup path, from the transport's close and from {@link #close}. */
  void closed() {
    if (closed) return;
    closed = true;
    held = null;
    waiting = null;
    for (String address : registrations) bridge.unsubscribe(address, this);
    registrations.clear();
    bridge.forget(this);
    bridge.bus().send(PresenceAddresses.DISCONNECTED,
        new JsonObject().put("userId", identity.userId()).put("ref", ref()), Bridge.LOCAL);
  }
}
