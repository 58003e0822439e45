package io.officehours.cluster;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import io.officehours.common.ClusterConsumer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the node out of readiness while it merges back after a split brain, until every
 * {@link ClusterConsumer} has registered again. Between Hazelcast's MERGING and the last
 * re-registration the other nodes cannot reach this node's consumers (the merge replaced its
 * entries in the subscription map), so a load balancer that follows {@code /ready} keeps new
 * clients away during that gap instead of letting their pushes vanish.
 */
final class MergeWatch {

  private static final Logger LOG = LoggerFactory.getLogger(MergeWatch.class);
  /** Consumers that have not answered by then are logged, and the node is ready again anyway. */
  private static final long GIVE_UP_MS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private volatile boolean merging;
  private int consumers;
  private int pending;
  private long giveUp = -1;

  private MergeWatch(Vertx vertx, Context context) {
    this.vertx = vertx;
    this.context = context;
  }

  /** Before any verticle is deployed, so that it counts every consumer; its state lives on one context. */
  static Future<MergeWatch> start(Vertx vertx) {
    MergeWatch watch = new MergeWatch(vertx, vertx.getOrCreateContext());
    Promise<MergeWatch> started = Promise.promise();
    watch.context.runOnContext(v -> Future.all(
            vertx.eventBus().localConsumer(ClusterConsumer.REGISTERED, m -> watch.consumers++).completion(),
            vertx.eventBus().localConsumer(ClusterConsumer.REBOUND, m -> watch.rebound()).completion())
        .map(watch)
        .onComplete(started));
    return started.future();
  }

  boolean merging() {
    return merging;
  }

  /** From Hazelcast's lifecycle thread. */
  void on(LifecycleState state) {
    if (state == LifecycleState.MERGING) {
      merging = true;
      LOG.info("merging back into the cluster: not ready until the cluster consumers are registered again");
    } else if (state == LifecycleState.MERGED) {
      context.runOnContext(v -> rebind());
    } else if (state == LifecycleState.MERGE_FAILED) {
      merging = false;
    }
  }

  private void rebind() {
    merging = true;
    pending = consumers;
    vertx.cancelTimer(giveUp);
    giveUp = vertx.setTimer(GIVE_UP_MS, t -> {
      LOG.warn("{} cluster consumers did not register again within {} ms", pending, GIVE_UP_MS);
      done();
    });
    LOG.info("merged back into the cluster: registering {} cluster consumers again", consumers);
    vertx.eventBus().publish(ClusterConsumer.REBIND, new JsonObject());
    if (pending == 0) done();
  }

  private void rebound() {
    if (merging && --pending == 0) done();
  }

  private void done() {
    vertx.cancelTimer(giveUp);
    giveUp = -1;
    if (merging) LOG.info("cluster consumers registered again: ready");
    merging = false;
  }
}
