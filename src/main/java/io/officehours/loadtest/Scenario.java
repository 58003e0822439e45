package io.officehours.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/**
 * One kind of load. A scenario object has two uses: in the process that generates load it drives
 * the clients ({@link #prepare} before the clock, {@link #start} at the start signal, {@link #stop}
 * at the end); in every process, the parent of a {@code --procs} run included, it reads counters
 * ({@link #progress}) and turns merged measurements into the result ({@link #summarize}).
 *
 * <p>Each process runs its share of the clients: {@link CommonOptions#share} of every count, with
 * user ids prefixed by the process index.
 */
abstract class Scenario {

  abstract String name();

  /** The scenario's own options, for the result. */
  abstract JsonObject params();

  Duration defaultTimeout(CommonOptions options) {
    return Duration.ofSeconds(120);
  }

  /** Connections to one target in the whole run (all processes), to decide on source addresses. */
  abstract int connectionsPerTarget(CommonOptions options);

  /** Before the clock: tokens, and whatever must exist before the start signal. */
  abstract Future<Void> prepare(RunContext ctx);

  /** At the start signal. Called once, on the driver's thread. */
  abstract void start(RunContext ctx);

  /** True once everything this process starts has been attempted (e.g. every connection tried). */
  abstract boolean steady();

  /** True once this process has nothing left to drive; the run then stops (all processes at once). */
  abstract boolean selfDone();

  /** Stops driving, closes every connection and counts what never finished; bounded in time. */
  abstract Future<Void> stop(RunContext ctx);

  /** Measurements that are not counters or histograms (per-index series), added before the snapshot. */
  void addSeries(Measurements m) {}

  /** The one-line progress of the run, from the merged counters and their rate over the last second. */
  abstract String progress(Map<String, Long> counters, Map<String, Long> perSecond, long errors);

  /**
   * The result's scenario section from everything measured (one process or many merged):
   * {@code summary}, {@code latency}, {@code definitions}, {@code passed} and, when it applies,
   * {@code correctness}.
   */
  abstract JsonObject summarize(Measurements m, JsonObject server);

  /** Which counters the report draws per second (rates) and as levels, and its latency histograms. */
  abstract JsonObject charts();
}
