package io.officehours.chat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The writes this node has forwarded to their chats' owners and not yet seen answered, by owner.
 * A write sent to a node that was just killed is never answered, and the event bus only gives up
 * on it when the request times out; when the cluster reports the owner gone, its writes fail at
 * once with {@link OwnerLeft} instead, and the caller can handle them on a live node.
 */
final class Forwards {

  /** The owner a write was forwarded to left the cluster before answering. */
  static final class OwnerLeft extends RuntimeException {
    OwnerLeft(String owner) {
      super("node " + owner + " left before answering", null, false, false);
    }
  }

  private final Map<String, Set<Promise<?>>> byOwner = new HashMap<>();

  <T> Future<T> track(String owner, Future<T> reply) {
    Promise<T> outcome = Promise.promise();
    Set<Promise<?>> pending = byOwner.computeIfAbsent(owner, o -> new HashSet<>());
    pending.add(outcome);
    reply.onComplete(done -> {
      pending.remove(outcome);
      if (pending.isEmpty()) byOwner.remove(owner, pending);
      if (done.succeeded()) outcome.tryComplete(done.result());
      else outcome.tryFail(done.cause());
    });
    return outcome.future();
  }

  void ownerLeft(String owner) {
    Set<Promise<?>> pending = byOwner.remove(owner);
    if (pending != null) pending.forEach(p -> p.tryFail(new OwnerLeft(owner)));
  }
}
