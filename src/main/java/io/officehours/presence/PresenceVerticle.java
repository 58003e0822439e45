package io.officehours.presence;

import io.officehours.common.Serve;
import io.officehours.config.Config;
import io.officehours.roster.RosterAddresses;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's {@link PresenceState}. The gateway reports each connection that opens and
 * closes; the roster reports status changes. Changes are pushed on {@code tutor.presence} as one
 * diff per {@value #BATCH_MS} ms at most, so a burst of joins costs each subscriber a few frames.
 *
 * <p>When a user's last connection closes, the user is announced offline to the roster after the
 * configured grace period, unless it reconnected meanwhile. On shutdown nothing is kept: the
 * connections it tracked are gone with the node.
 */
public final class PresenceVerticle extends VerticleBase {

  static final long BATCH_MS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(PresenceVerticle.class);

  private final Config config;
  private final PresenceState state = new PresenceState();
  private final Map<String, String> statusOf = new HashMap<>();
  private final Map<String, String> roleOf = new HashMap<>();
  private final Map<String, Long> graceTimers = new HashMap<>();
  private PresenceDiff pending = new PresenceDiff();
  private long flushTimer = -1;
  private int lastTeachers = -1;
  private int lastStudents = -1;

  public PresenceVerticle(Config config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>localConsumer(PresenceAddresses.CONNECTED, m -> connected(m.body())).completion(),
        bus.<JsonObject>localConsumer(PresenceAddresses.DISCONNECTED, m -> disconnected(m.body())).completion(),
        bus.<JsonObject>consumer(RosterAddresses.USER_STATUS, m -> statusChanged(m.body())).completion(),
        bus.localConsumer(PresenceAddresses.SNAPSHOT, (Message<Object> m) -> Serve.answer(m, this::snapshot, LOG)).completion()));
  }

  private void connected(JsonObject body) {
    String userId = body.getString("userId");
    String ref = body.getString("ref");
    String role = body.getString("role");
    Long timer = graceTimers.remove(userId);
    if (timer != null) vertx.cancelTimer(timer);
    roleOf.put(userId, role);
    Meta meta = new Meta(ref, config.nodeId(), role, statusOf.getOrDefault(userId, "idle"), System.currentTimeMillis(), null);
    emit(state.join(userId, ref, meta));
  }

  private void disconnected(JsonObject body) {
    String userId = body.getString("userId");
    emit(state.leave(userId, body.getString("ref")));
    if (state.isOnline(userId) || graceTimers.containsKey(userId) || !roleOf.containsKey(userId)) return;
    long grace = config.grace().toMillis();
    if (grace <= 0) {
      offline(userId);
    } else {
      graceTimers.put(userId, vertx.setTimer(grace, t -> {
        graceTimers.remove(userId);
        offline(userId);
      }));
    }
  }

  private void offline(String userId) {
    statusOf.remove(userId);
    String role = roleOf.remove(userId);
    LOG.info("{} {} is offline", role, userId);
    vertx.eventBus().publish(RosterAddresses.USER_OFFLINE, new JsonObject().put("userId", userId).put("role", role));
  }

  private void statusChanged(JsonObject body) {
    String userId = body.getString("userId");
    if (!roleOf.containsKey(userId)) return;
    statusOf.put(userId, body.getString("status"));
    emit(state.update(userId, body.getString("status")));
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
    vertx.eventBus().publish(PresenceAddresses.TOPIC, batch.toJson());
  }

  private void publishCounts() {
    int teachers = state.count("teacher");
    int students = state.count("student");
    if (teachers == lastTeachers && students == lastStudents) return;
    lastTeachers = teachers;
    lastStudents = students;
    vertx.eventBus().publish(StatusAddresses.PRESENCE_COUNTS, new JsonObject().put("teachers", teachers).put("students", students));
  }
}
