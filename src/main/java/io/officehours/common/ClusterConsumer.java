package io.officehours.common;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * A consumer other nodes must reach, that registers itself again when this node merges back into
 * the cluster after a split brain: Hazelcast then replaces the merging side's data with the other
 * side's, and with it this node's entries in the event bus's subscription map, so without a
 * re-registration pushes and forwarded writes from the other nodes would never arrive here.
 * Create it from the verticle that owns it: the handler runs on that verticle's context.
 */
public final class ClusterConsumer<T> {

  /** Local signal, published by the cluster node when Hazelcast reports MERGED. */
  public static final String REBIND = "tutor.internal.cluster.rebind";
  /** Local: one per consumer when it is created, so the cluster node knows how many to wait for. */
  public static final String REGISTERED = "tutor.internal.cluster.registered";
  /** Local: one per consumer each time it has registered again after a merge. */
  public static final String REBOUND = "tutor.internal.cluster.rebound";

  private final Vertx vertx;
  private final String address;
  private final Handler<Message<T>> handler;
  private MessageConsumer<T> consumer;

  private ClusterConsumer(Vertx vertx, String address, Handler<Message<T>> handler) {
    this.vertx = vertx;
    this.address = address;
    this.handler = handler;
  }

  public static <T> Future<Void> register(Vertx vertx, String address, Handler<Message<T>> handler) {
    ClusterConsumer<T> c = new ClusterConsumer<>(vertx, address, handler);
    vertx.eventBus().localConsumer(REBIND, m -> c.rebind());
    vertx.eventBus().publish(REGISTERED, address);
    return c.bind();
  }

  private Future<Void> bind() {
    consumer = vertx.eventBus().consumer(address, handler);
    return consumer.completion();
  }

  private void rebind() {
    consumer.unregister().onComplete(done -> bind().onComplete(bound -> vertx.eventBus().publish(REBOUND, address)));
  }
}
