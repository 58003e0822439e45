package io.officehours;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records the pushes a client receives and hands them to a test as they come: {@link #next}
 * returns a future completed by the first unconsumed push that matches, whether it arrived before
 * or after the call, so a test never sleeps to wait for an event.
 */
public final class Pushes {

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {}

  private final List<JsonObject> unclaimed = new ArrayList<>();
  private final List<JsonObject> all = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private long lastAt = System.nanoTime();

  public synchronized void add(JsonObject push) {
    all.add(push);
    lastAt = System.nanoTime();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.match.test(push)) {
        it.remove();
        w.promise.complete(push);
        return;
      }
    }
    unclaimed.add(push);
  }

  public synchronized Future<JsonObject> next(Predicate<JsonObject> match) {
    for (Iterator<JsonObject> it = unclaimed.iterator(); it.hasNext(); ) {
      JsonObject push = it.next();
      if (match.test(push)) {
        it.remove();
        return Future.succeededFuture(push);
      }
    }
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  public Future<JsonObject> next(String type) {
    return next(p -> type.equals(p.getString("type")));
  }

  public JsonObject await(String type) {
    return TestNode.await(next(type));
  }

  public JsonObject await(Predicate<JsonObject> match) {
    return TestNode.await(next(match));
  }

  /** Forgets the pushes not yet claimed, so the next {@link #next} waits for something that comes after. */
  public synchronized void clear() {
    unclaimed.clear();
  }

  /**
   * Waits until nothing has arrived for {@code quiet}: the way to check that a burst is over, or
   * that nothing more comes, without sleeping a fixed time.
   */
  public void awaitQuiet(Duration quiet) {
    Awaitility.await().atMost(quiet.plusSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> sinceLast().compareTo(quiet) >= 0);
  }

  private synchronized Duration sinceLast() {
    return Duration.ofNanos(System.nanoTime() - lastAt);
  }

  /** Everything received so far, in order. */
  public synchronized List<JsonObject> all() {
    return List.copyOf(all);
  }
}
