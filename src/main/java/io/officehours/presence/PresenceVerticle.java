package io.officehours.presence;

import io.officehours.common.ClusterConsumer;
import io.officehours.common.ClusterEvents;
import io.officehours.common.Json;
import io.officehours.common.Serve;
import io.officehours.config.Config;
import io.officehours.ops.NodeMetrics;
import io.officehours.push.UserNodes;
import io.officehours.roster.RosterAddresses;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's replica of who is online ({@link PresenceState}) and records the connections
 * this node holds in the {@link PresenceDirectory}. The gateway reports each connection that opens
 * and closes; the roster reports status changes, and the node that holds a connection rewrites its
 * meta. Changes are pushed on {@code tutor.presence} as one diff per {@value #BATCH_MS} ms at most,
 * so a burst of joins costs each subscriber a few frames.
 *
 * <p>When a user's last connection closes, the user is announced offline to the roster after the
 * grace period, unless it has a connection anywhere by then. When a node leaves the cluster, one
 * survivor removes its connections and announces their users offline the same way. On shutdown the
 * node's connections close with it, and their removals reach the other nodes as leaves.
 */
public final class PresenceVerticle extends VerticleBase {

  static final long BATCH_MS = 50;
  static final long ANNOUNCE_TIMEOUT_MS = 1_000;
  /** About 100 KiB of JSON: well under any client's frame limit. */
  static final int MAX_USERS_PER_DIFF = 500;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final Config config;
  private final PresenceDirectory directory;
  private final NodeMetrics metrics;
  private final PresenceState state;
  /** Where users' connections are, for targeted pushes; null on one node. */
  private final UserNodes nodes;
  /** Connections this node holds: user to refs. */
  private final Map<String, Set<String>> localRefs = new HashMap<>();
  /** What this node last wrote for each connection it holds, by ref. */
  private final Map<String, Own> ownMetas = new HashMap<>();

  private record Own(String userId, Meta meta) {}
  private final Map<String, String> statusOf = new HashMap<>();
  private final Map<String, String> roleOf = new HashMap<>();
  private final Map<String, Long> graceTimers = new HashMap<>();
  private PresenceDiff pending = new PresenceDiff();
  private long flushTimer = -1;
  private long metaVersion;
  private int lastTeachers = -1;
  private int lastStudents = -1;

  public PresenceVerticle(Config config, PresenceDirectory directory, NodeMetrics metrics, UserNodes nodes) {
    this.config = config;
    this.directory = directory;
    this.metrics = metrics;
    this.nodes = nodes;
    this.state = new PresenceState(nodes);
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    directory.onResync(this::resync);
    return directory.start(this::apply).compose(v -> Future.all(List.of(
        bus.<JsonObject>localConsumer(PresenceAddresses.CONNECTED, m -> connected(m.body())).completion(),
        bus.<JsonObject>localConsumer(PresenceAddresses.DISCONNECTED, m -> disconnected(m.body())).completion(),
        ClusterConsumer.<JsonObject>register(vertx, RosterAddresses.USER_STATUS, m -> statusChanged(m.body())),
        bus.<JsonObject>localConsumer(ClusterEvents.NODE_LEFT, m -> nodeLeft(m.body().getString("nodeId"))).completion(),
        bus.localConsumer(PresenceAddresses.SNAPSHOT, (Message<Object> m) -> Serve.answer(m, this::snapshot, LOG)).completion(),
        bus.localConsumer(PresenceAddresses.ANNOUNCE, (Message<Object> m) -> Serve.answer(m, this::announce, LOG)).completion(),
        nodes == null ? Future.<Void>succeededFuture() : ClusterConsumer.register(vertx, PresenceAddresses.here(nodes.self()),
            (Message<Object> m) -> Serve.answer(m, this::here, LOG)))))
        .onSuccess(v -> {
          if (nodes != null) vertx.setPeriodic(UserNodes.UNCONFIRMED_MS / 2, t -> nodes.sweep(System.currentTimeMillis()));
        });
  }

  /**
   * A socket of this node registered its user's inbox: every other node records where the user is
   * before the answer, so a push any node makes after it reaches the socket, whether or not the
   * presence replicas have the connection yet. A node that does not answer in time (leaving, cut
   * off) only delays the socket; the answer never fails.
   */
  private Future<JsonObject> announce(Message<Object> m) {
    if (nodes == null) return Future.succeededFuture(new JsonObject());
    JsonObject here = Json.body(m.body()).copy().put("node", nodes.self());
    nodes.announced(here.getString("userId"), here.getString("ref"), nodes.self(), System.currentTimeMillis());
    // a node cut off or just killed answers nobody: the socket waits at most this long for it
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.min(config.requestTimeout().toMillis(), ANNOUNCE_TIMEOUT_MS));
    List<Future<?>> told = new ArrayList<>();
    for (String node : nodes.members()) {
      if (node.equals(nodes.self())) continue;
      told.add(vertx.eventBus().request(PresenceAddresses.here(node), here, options)
          .onFailure(e -> LOG.debug("node {} did not take the announcement of {}: {}", node, here.getString("ref"), e.toString())));
    }
    return Future.join(told).otherwiseEmpty().map(v -> new JsonObject());
  }

  private Future<JsonObject> here(Message<Object> m) {
    JsonObject b = Json.body(m.body());
    nodes.announced(b.getString("userId"), b.getString("ref"), b.getString("node"), System.currentTimeMillis());
    return Future.succeededFuture(new JsonObject());
  }

  /** A change from the directory, for this node's connections and everyone else's alike. */
  private void apply(PresenceEvent event) {
    PresenceDiff diff;
    if (event instanceof PresenceEvent.Joined j) diff = state.join(j.userId(), j.connectionRef(), j.meta(), j.owner());
    else if (event instanceof PresenceEvent.Updated u) diff = state.replace(u.userId(), u.connectionRef(), u.meta());
    else diff = state.leave(event.userId(), event.connectionRef());
    if (!state.isOnline(event.userId()) && !graceTimers.containsKey(event.userId())) statusOf.remove(event.userId());
    emit(diff);
  }

  /**
   * After a merge: the replica becomes the merged directory's content, and this node writes again
   * each connection it holds that the directory lost in the merge, since only it knows them.
   */
  private void resync(List<PresenceEvent.Joined> entries) {
    emit(state.resync(entries));
    Set<String> listed = new HashSet<>();
    entries.forEach(e -> listed.add(e.connectionRef()));
    int rewritten = 0;
    for (Map.Entry<String, Own> own : ownMetas.entrySet()) {
      if (listed.contains(own.getKey())) continue;
      rewrite(own.getValue().userId(), own.getKey(), own.getValue().meta());
      holdOwn(own.getValue().userId(), own.getKey(), own.getValue().meta());
      rewritten++;
    }
    LOG.info("presence replica read again after a merge: {} users, {} connections; {} of this node's written again",
        state.userCount(), state.metaCount(), rewritten);
  }

  private void rewrite(String userId, String ref, Meta meta) {
    directory.track(userId, ref, meta).onFailure(e -> LOG.warn("could not track {}: {}", ref, e.toString()));
  }

  private void connected(JsonObject body) {
    String userId = body.getString("userId");
    String ref = body.getString("ref");
    String role = body.getString("role");
    localRefs.computeIfAbsent(userId, u -> new HashSet<>(2)).add(ref);
    roleOf.put(userId, role);
    Meta meta = new Meta(ref, config.nodeId(), role, statusOf.getOrDefault(userId, "idle"), System.currentTimeMillis(), null);
    ownMetas.put(ref, new Own(userId, meta));
    rewrite(userId, ref, meta);
    holdOwn(userId, ref, meta);
  }

  /**
   * In a cluster the replica hears of this node's own writes only when the map's events come back:
   * held here at once, a presence.state the same socket asks for next lists its connection (the
   * event then changes nothing: a known ref is not joined twice). One node's directory is synchronous.
   */
  private void holdOwn(String userId, String ref, Meta meta) {
    if (nodes != null) emit(state.join(userId, ref, meta, nodes.self()));
  }

  private void disconnected(JsonObject body) {
    String userId = body.getString("userId");
    String ref = body.getString("ref");
    Set<String> refs = localRefs.get(userId);
    if (refs == null || !refs.remove(ref)) return;
    if (refs.isEmpty()) localRefs.remove(userId);
    ownMetas.remove(ref);
    directory.untrack(userId, ref)
        .onFailure(e -> LOG.warn("could not untrack {}: {}", ref, e.toString()))
        .onComplete(done -> {
          if (!localRefs.containsKey(userId)) scheduleOfflineCheck(userId);
        });
  }

  /** After the grace period, the user is offline unless it has a connection anywhere. */
  private void scheduleOfflineCheck(String userId) {
    Long previous = graceTimers.remove(userId);
    if (previous != null) vertx.cancelTimer(previous);
    long grace = config.grace().toMillis();
    if (grace <= 0) {
      checkOffline(userId);
      return;
    }
    graceTimers.put(userId, vertx.setTimer(grace, t -> {
      graceTimers.remove(userId);
      checkOffline(userId);
    }));
  }

  private void checkOffline(String userId) {
    directory.online(userId).onSuccess(online -> {
      if (!online) announceOffline(userId);
    });
  }

  private void announceOffline(String userId) {
    if (localRefs.containsKey(userId)) return;
    roleOf.remove(userId);
    LOG.debug("{} is offline", userId);
    vertx.eventBus().publish(RosterAddresses.USER_OFFLINE, new JsonObject().put("userId", userId), LOCAL);
  }

  /** The roster changed a user's status: this node rewrites the metas of the connections it holds. */
  private void statusChanged(JsonObject body) {
    String userId = body.getString("userId");
    String status = body.getString("status");
    if (state.isOnline(userId) || localRefs.containsKey(userId)) statusOf.put(userId, status);
    localRefs.getOrDefault(userId, Set.of()).forEach(ref -> {
      Meta old = state.meta(userId, ref);
      if (old == null || old.status().equals(status)) return;
      Meta updated = old.withStatus(status, ref + "." + (++metaVersion));
      ownMetas.put(ref, new Own(userId, updated));
      directory.update(userId, ref, updated)
          .onFailure(e -> LOG.warn("could not update {}: {}", ref, e.toString()));
    });
  }

  private void nodeLeft(String nodeId) {
    if (nodes != null) nodes.nodeLeft(nodeId);
    // every replica drops the departed node's connections at once, so its leaves are pushed
    // without waiting for the directory's cleanup to come back as events
    emit(state.dropOwner(nodeId));
    if (!directory.cleansUp()) return;
    directory.dropNode(nodeId)
        .onSuccess(users -> {
          LOG.info("node {} left: removed the connections of {} users", nodeId, users.size());
          // one timer and one query for all of them: a node may take thousands of users with it
          long grace = Math.max(1, config.grace().toMillis());
          vertx.setTimer(grace, t -> directory.offline(users).onSuccess(gone -> gone.forEach(this::announceOffline)));
        })
        .onFailure(e -> LOG.warn("could not clean up after node {}: {}", nodeId, e.toString()));
  }

  private Future<JsonObject> snapshot(Message<Object> m) {
    flush();
    return Future.succeededFuture(new JsonObject().put("type", "presence.state").put("presences", state.list()));
  }

  private void emit(PresenceDiff diff) {
    if (diff.isEmpty()) return;
    pending.addAll(diff);
    if (flushTimer < 0) flushTimer = vertx.setTimer(BATCH_MS, t -> flush());
    publishCounts();
  }

  private void flush() {
    if (flushTimer >= 0) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (pending.isEmpty()) return;
    PresenceDiff batch = pending;
    pending = new PresenceDiff();
    // local only: a clustered publish goes through the subscription lookup and can overtake, or be
    // overtaken by, the snapshot reply; local delivery keeps the order the snapshot relies on
    for (PresenceDiff part : batch.split(MAX_USERS_PER_DIFF)) {
      vertx.eventBus().publish(PresenceAddresses.TOPIC, part.toJson(), LOCAL);
    }
  }

  private void publishCounts() {
    metrics.presence(state.userCount(), state.metaCount());
    int teachers = state.count("teacher");
    int students = state.count("student");
    if (teachers == lastTeachers && students == lastStudents) return;
    lastTeachers = teachers;
    lastStudents = students;
    vertx.eventBus().publish(StatusAddresses.PRESENCE_COUNTS, new JsonObject().put("teachers", teachers).put("students", students), LOCAL);
  }
}
