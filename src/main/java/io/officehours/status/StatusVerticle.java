package io.officehours.status;

import io.officehours.common.ClusterConsumer;
import io.officehours.common.Serve;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the roster's counts (waiting, chats) and presence's (teachers, students) into the
 * contract's {@code status} push. Changes are coalesced: the first change after a push starts a
 * {@value #COALESCE_MS} ms timer, and one push carries everything that changed meanwhile, so a push
 * is never more than that late and never repeats the previous one.
 */
public final class StatusVerticle extends VerticleBase {

  static final long COALESCE_MS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

  private long rosterVersion;
  private int waiting;
  private int chats;
  private int teachers;
  private int students;
  private JsonObject lastPushed = new JsonObject();
  private long timer = -1;

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(List.of(
        // from the roster verticle of any node: the newest version wins
        ClusterConsumer.<JsonObject>register(vertx, StatusAddresses.ROSTER_COUNTS, m -> {
          long version = m.body().getLong("version", 0L);
          if (version < rosterVersion) return;
          rosterVersion = version;
          waiting = m.body().getInteger("waiting");
          chats = m.body().getInteger("chats");
          schedule();
        }),
        bus.<JsonObject>localConsumer(StatusAddresses.PRESENCE_COUNTS, m -> {
          teachers = m.body().getInteger("teachers");
          students = m.body().getInteger("students");
          schedule();
        }).completion(),
        bus.localConsumer(StatusAddresses.CURRENT,
            (Message<Object> m) -> Serve.answer(m, q -> Future.succeededFuture(current()), LOG)).completion()));
  }

  private JsonObject current() {
    return new JsonObject().put("type", "status")
        .put("waiting", waiting).put("teachers", teachers).put("students", students).put("chats", chats);
  }

  private void schedule() {
    if (timer < 0) timer = vertx.setTimer(COALESCE_MS, t -> push());
  }

  private void push() {
    timer = -1;
    JsonObject now = current();
    if (now.equals(lastPushed)) return;
    lastPushed = now;
    // local only, like presence: this node's gateways, in order with the snapshot replies
    vertx.eventBus().publish(StatusAddresses.TOPIC, now, new DeliveryOptions().setLocalOnly(true));
  }
}
