package io.officehours.gateway;

/** A token bucket: {@code burst} frames at once, refilled at {@code perSecond}. Not thread-safe (one socket, one event loop). */
final class RateLimiter {
  private final int burst;
  private final double perMilli;
  private double tokens;
  private long last;

  RateLimiter(int burst, int perSecond, long nowMillis) {
    this.burst = burst;
    this.perMilli = perSecond / 1000.0;
    this.tokens = burst;
    this.last = nowMillis;
  }

  boolean tryAcquire(long nowMillis) {
    tokens = Math.min(burst, tokens + (nowMillis - last) * perMilli);
    last = nowMillis;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
