package io.officehours.loadtest;

import java.time.Instant;

/**
 * Wall-clock microseconds with the resolution of {@link System#nanoTime()}: one calibration per
 * process, then monotonic. Processes of one run on one machine share the wall clock, so their
 * timestamps can be compared (a broadcast's trigger in one process, its deliveries in another).
 */
final class EpochClock {
  private static final long BASE_NANOS = System.nanoTime();
  private static final long BASE_MICROS;

  static {
    Instant now = Instant.now();
    BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private EpochClock() {}

  static long micros() {
    return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
  }

  static long millis() {
    return micros() / 1_000;
  }
}
