package io.officehours.push;

import io.vertx.core.Context;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One gateway instance's end of the node's direct pushes: the users with an inbox socket on it,
 * and an outbox for pushes made on other threads.
 *
 * <p>A push made on the lane's own event loop is written at once; one made elsewhere waits in the
 * outbox until the lane's next turn, one task per batch. Every direct write first empties the
 * outbox: pushes made under a chat's lock then reach each socket in the order the lock gave them,
 * whichever thread made them.
 */
public final class Lane {

  /** Writes an encoded push body to this lane's sockets registered to the user's inbox. */
  @FunctionalInterface
  public interface Delivery {
    void deliver(String userId, byte[] body);
  }

  private record Pending(String userId, byte[] body) {}

  private final Context context;
  private final Thread thread;
  private final Delivery delivery;
  private final Set<String> users = ConcurrentHashMap.newKeySet();
  private final Queue<Pending> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Made on the lane's event loop (the gateway instance's start). */
  Lane(Context context, Delivery delivery) {
    this.context = context;
    this.thread = Thread.currentThread();
    this.delivery = delivery;
  }

  /** A socket of this lane registered the user's inbox (its first one here). */
  public void hold(String userId) {
    users.add(userId);
  }

  /** The last socket of this lane that registered the user's inbox is gone. */
  public void release(String userId) {
    users.remove(userId);
  }

  boolean holds(String userId) {
    return users.contains(userId);
  }

  boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /** From any thread. */
  void push(String userId, byte[] body) {
    if (isCurrent()) {
      drain();
      delivery.deliver(userId, body);
      return;
    }
    outbox.add(new Pending(userId, body));
    if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
  }

  /** Writes what other threads pushed; on the lane's event loop only. */
  public void drain() {
    // cleared before polling: a push added after the last poll then schedules a drain of its own
    if (scheduled.get()) scheduled.set(false);
    Pending p;
    while ((p = outbox.poll()) != null) delivery.deliver(p.userId, p.body);
  }
}
