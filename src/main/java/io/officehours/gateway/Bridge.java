package io.officehours.gateway;

import io.officehours.admin.AdminAddresses;
import io.officehours.admin.Tap;
import io.officehours.admin.TapEntry;
import io.officehours.chat.ChatLines;
import io.officehours.common.ClusterConsumer;
import io.officehours.common.JsonText;
import io.officehours.config.Config;
import io.officehours.ops.NodeMetrics;
import io.officehours.presence.PresenceAddresses;
import io.officehours.push.InboxAddresses;
import io.officehours.push.Inboxes;
import io.officehours.push.Lane;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge of one gateway instance: its sockets and what each registered. Pushes arrive on a
 * handful of local consumers per instance (user deliveries, status, presence) and are written to
 * the registered sockets from this map, so a socket costs no event-bus consumer of its own and
 * connecting or leaving touches no shared structure.
 */
final class Bridge {

  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
  /** Unique within the JVM. */
  private static final AtomicLong REFS = new AtomicLong();
  /**
   * New on every start, so refs never repeat across restarts, nor across nodes that were given
   * the same --node-id by mistake.
   */
  private static final String INCARNATION = Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36).substring(0, 6);

  private final Vertx vertx;
  private final Config config;
  private final String nodeId;
  private final NodeMetrics metrics;
  private final Tap tap;
  /** Messages to this node's own verticles, in the order they are sent. */
  static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private final Set<BridgeConnection> connections = new HashSet<>();
  private final Map<String, Set<BridgeConnection>> subscribers = new HashMap<>();
  /** The users with an inbox socket here: the start of their push frame (up to the body), and those sockets. */
  private final Map<String, Inbox> inboxes = new HashMap<>();
  /** The straight path of a one-node deployment; both null when pushes go over the event bus. */
  private final Inboxes nodeInboxes;
  private final ChatLines lines;
  private Lane lane;
  private long reaper = -1;

  private record Inbox(byte[] framePrefix, Set<BridgeConnection> sockets) {}

  Bridge(Vertx vertx, Config config, String nodeId, NodeMetrics metrics, Tap tap, Inboxes inboxes, ChatLines lines) {
    this.vertx = vertx;
    this.config = config;
    this.nodeId = nodeId;
    this.metrics = metrics;
    this.tap = tap;
    this.nodeInboxes = inboxes;
    this.lines = lines;
  }

  /** The chat lines this instance writes itself, or null when they go to the chat verticle. */
  ChatLines lines() {
    return lines;
  }

  NodeMetrics metrics() {
    return metrics;
  }

  Tap tap() {
    return tap;
  }

  Future<Void> start() {
    EventBus bus = vertx.eventBus();
    long every = Math.max(100, Math.min(5000, config.pingTimeout().toMillis() / 4));
    reaper = vertx.setPeriodic(every, t -> reapSilent());
    if (nodeInboxes != null) lane = nodeInboxes.join(vertx.getOrCreateContext(), this::deliverEncoded);
    return Future.all(List.of(
        // cluster-wide: a push published on any node reaches the sockets of this one
        ClusterConsumer.<JsonObject>register(vertx, InboxAddresses.DELIVER, m -> deliver(m.body())),
        // cluster-wide: the pushes other nodes address to this one only (Pushes.toNodes)
        ClusterConsumer.<JsonObject>register(vertx, InboxAddresses.node(nodeId), m -> deliver(m.body())),
        bus.<JsonObject>localConsumer(StatusAddresses.TOPIC, m -> fanOut(StatusAddresses.TOPIC, m.body())).completion(),
        bus.<JsonObject>localConsumer(PresenceAddresses.TOPIC, m -> fanOut(PresenceAddresses.TOPIC, m.body())).completion(),
        // cluster-wide: every node's tap batches reach the tapping admins of this one
        ClusterConsumer.<JsonObject>register(vertx, AdminAddresses.TAP_BATCH, m -> tapBatch(m.body()))))
        .mapEmpty();
  }

  void stop() {
    vertx.cancelTimer(reaper);
    if (lane != null) nodeInboxes.leave(lane);
    for (BridgeConnection c : new ArrayList<>(connections)) c.close((short) 1001, "node shutting down");
  }

  Config config() {
    return config;
  }

  EventBus bus() {
    return vertx.eventBus();
  }

  long now() {
    return System.currentTimeMillis();
  }

  int connectionCount() {
    return connections.size();
  }

  /** Adopts an authenticated socket and tells presence about it. */
  BridgeConnection open(ClientSocket socket, Identity identity) {
    String ref = config.nodeId() + "-" + INCARNATION + "-" + Long.toString(REFS.incrementAndGet(), 36);
    BridgeConnection connection = new BridgeConnection(this, socket, identity, ref, now());
    connections.add(connection);
    metrics.connectionOpened();
    // local only: a clustered send picks its node asynchronously, and a snapshot the socket asks for
    // next could then overtake it (its presence.state without the socket itself: PresenceSelfIT)
    bus().send(PresenceAddresses.CONNECTED, new JsonObject()
        .put("userId", identity.userId()).put("role", identity.role().wire()).put("ref", ref), LOCAL);
    LOG.debug("connection {} opened by {} ({})", ref, identity.userId(), identity.role().wire());
    return connection;
  }

  void forget(BridgeConnection connection) {
    if (connections.remove(connection)) metrics.connectionClosed();
    LOG.debug("connection {} of {} closed", connection.ref(), connection.identity().userId());
  }

  void subscribe(String address, BridgeConnection connection) {
    Set<BridgeConnection> set = subscribers.computeIfAbsent(address, a -> new HashSet<>(2));
    if (!set.add(connection)) return;
    if (AdminAddresses.TAP.equals(address)) tap.watch(1);
    if (set.size() == 1 && address.startsWith(InboxAddresses.INBOX_PREFIX)) {
      String userId = address.substring(InboxAddresses.INBOX_PREFIX.length());
      inboxes.put(userId, new Inbox(JsonText.utf8(Frames.recPrefix(address)), set));
      if (lane != null) lane.hold(userId);
    }
  }

  void unsubscribe(String address, BridgeConnection connection) {
    Set<BridgeConnection> set = subscribers.get(address);
    if (set == null || !set.remove(connection)) return;
    if (AdminAddresses.TAP.equals(address)) tap.watch(-1);
    if (!set.isEmpty()) return;
    subscribers.remove(address);
    if (address.startsWith(InboxAddresses.INBOX_PREFIX)) {
      String userId = address.substring(InboxAddresses.INBOX_PREFIX.length());
      inboxes.remove(userId);
      if (lane != null) lane.release(userId);
    }
  }

  /** Before a frame is written straight to a socket: what other threads pushed to this lane goes first. */
  void drainPushes() {
    if (lane != null) lane.drain();
  }

  /** A push body encoded already, to this instance's sockets registered to the user's inbox: one frame for all of them. */
  private void deliverEncoded(String userId, byte[] body) {
    Inbox inbox = inboxes.get(userId);
    if (inbox == null) return;
    byte[] prefix = inbox.framePrefix();
    Set<BridgeConnection> set = inbox.sockets();
    byte[] frame = Arrays.copyOf(prefix, prefix.length + body.length + 1);
    System.arraycopy(body, 0, frame, prefix.length, body.length);
    frame[frame.length - 1] = '}';
    if (set.size() == 1) {
      set.iterator().next().push(frame);
    } else {
      for (BridgeConnection c : List.copyOf(set)) c.push(frame);
    }
    metrics.pushes(set.size());
    if (tap.on()) tap.record(TapEntry.OUT, "push", InboxAddresses.inbox(userId), userId, frame.length,
        new String(body, StandardCharsets.UTF_8), set.size());
  }

  /** A push from the delivery address: its body encoded once, then written like a direct push. */
  private void deliver(JsonObject delivery) {
    drainPushes();
    JsonArray users = delivery.getJsonArray("users");
    byte[] body = delivery.getJsonObject("body").toBuffer().getBytes();
    for (int i = 0; i < users.size(); i++) deliverEncoded(users.getString(i), body);
  }

  private void fanOut(String address, JsonObject body) {
    Set<BridgeConnection> set = subscribers.get(address);
    if (set == null) return;
    String encoded = body.encode();
    String frame = Frames.rec(address, encoded);
    for (BridgeConnection c : List.copyOf(set)) c.write(frame);
    metrics.pushes(set.size());
    tap.record(TapEntry.OUT, "push", address, null, frame.length(), encoded, set.size());
  }

  /** A node's tap batch, to this instance's tapping admins; never recorded itself, or the tap would feed on its own output. */
  private void tapBatch(JsonObject batch) {
    Set<BridgeConnection> set = subscribers.get(AdminAddresses.TAP);
    if (set == null) return;
    String frame = Frames.rec(AdminAddresses.TAP, batch);
    for (BridgeConnection c : List.copyOf(set)) c.write(frame);
  }

  /** Closes the sockets that sent nothing (not even a ping) for the ping timeout. */
  private void reapSilent() {
    long deadline = now() - config.pingTimeout().toMillis();
    List<BridgeConnection> silent = new ArrayList<>();
    for (BridgeConnection c : connections) {
      if (c.lastSeen() < deadline) silent.add(c);
    }
    for (BridgeConnection c : silent) {
      LOG.debug("connection {} silent for {}: closing", c.ref(), config.pingTimeout());
      c.close((short) 1001, "ping timeout");
    }
    // one line per sweep: many silent clients at once mean overloaded clients or a network
    // problem, which an operator must be able to see without debug logging
    if (!silent.isEmpty()) LOG.info("closed {} connections silent for {} (ping timeout)", silent.size(), config.pingTimeout());
  }
}
