package io.officehours.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sends the writes of one chat to Redis one after another, in the order they were asked for.
 *
 * <p>Why: the pooled client gives each request its own connection, so two lines a user sends in
 * quick succession could reach Redis in the other order and get swapped seqs. The writes of a chat
 * are all asked for on one node (its owner, see {@code ChatRouter}) in the order its frames
 * arrived; queueing them here keeps that order into the seqs, while different chats still use the
 * pool in parallel. A write starts on the context that asked for it, and its result comes back there.
 */
final class WritesInOrder {

  private final Vertx vertx;
  private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();

  WritesInOrder(Vertx vertx) {
    this.vertx = vertx;
  }

  <T> Future<T> run(String chatId, Supplier<Future<T>> write) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> done = Promise.promise();
    Future<T> result = done.future();
    Future<?> previous = tails.put(chatId, result);
    if (previous == null) {
      start(write).onComplete(done);
    } else {
      // whatever the previous write's outcome: it is over, so this one may go
      previous.onComplete(ignored -> caller.runOnContext(v -> start(write).onComplete(done)));
    }
    result.onComplete(ignored -> tails.remove(chatId, result));
    // bound to the caller's context, so its callbacks (and a timeout set on it) run there
    return Future.fromCompletionStage(result.toCompletionStage(), caller);
  }

  /** A write that throws instead of failing its future must not stall the chat's queue. */
  private static <T> Future<T> start(Supplier<Future<T>> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Chats with a write under way or queued (for tests and metrics). */
  int busyChats() {
    return tails.size();
  }
}
