package io.officehours.loadtest;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;

/**
 * Keeps one socket under a frame rate (a token bucket), in order: an action runs at once while the
 * bucket has a token and waits its turn otherwise. The server refuses frames above its own limit
 * with 429, so a client that should not be refused paces itself. Used from one event loop only
 * (the socket's), like the socket itself.
 */
final class Pacer {
  private static final int BURST = 10;

  private final Vertx vertx;
  private final double perNano;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private double tokens = BURST;
  private long last = System.nanoTime();
  private boolean timerSet;

  /** @param perSecond frames per second, 0 or less for no limit */
  Pacer(Vertx vertx, int perSecond) {
    this.vertx = vertx;
    this.perNano = perSecond / 1e9;
  }

  void submit(Runnable action) {
    if (perNano <= 0) {
      action.run();
      return;
    }
    queue.add(action);
    drain();
  }

  private void drain() {
    long now = System.nanoTime();
    tokens = Math.min(BURST, tokens + (now - last) * perNano);
    last = now;
    while (!queue.isEmpty() && tokens >= 1) {
      tokens -= 1;
      queue.poll().run();
    }
    if (!queue.isEmpty() && !timerSet) {
      timerSet = true;
      long waitMs = Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e6));
      vertx.setTimer(waitMs, t -> {
        timerSet = false;
        drain();
      });
    }
  }
}
