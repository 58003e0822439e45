package io.officehours.loadtest;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The live measurements of one process, written from every event loop at once: counters, error
 * counts by code, latency recorders (microseconds) and first/last marks. One sampler thread
 * drains the recorders once a second: each interval goes to the timeline and into the run's total.
 */
final class Stats {

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
  private final Map<String, Histogram> totals = new HashMap<>();
  private final Map<String, AtomicLong> firstMarks = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastMarks = new ConcurrentHashMap<>();

  /** Makes counters and histograms exist from the start, so progress and results show zeros. */
  Stats declare(String... names) {
    for (String n : names) counter(n);
    return this;
  }

  Stats declareHistograms(String... names) {
    for (String n : names) recorder(n);
    return this;
  }

  private LongAdder counter(String name) {
    return counters.computeIfAbsent(name, n -> new LongAdder());
  }

  private Recorder recorder(String name) {
    return recorders.computeIfAbsent(name, n -> new Recorder(3));
  }

  void inc(String name) {
    counter(name).increment();
  }

  void add(String name, long n) {
    counter(name).add(n);
  }

  void dec(String name) {
    counter(name).decrement();
  }

  long get(String name) {
    LongAdder a = counters.get(name);
    return a == null ? 0 : a.sum();
  }

  /** Counts a failure under its code: a contract code ({@code 429}) or a short name ({@code connect.timeout}). */
  void error(String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  long errorTotal() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  void recordMicros(String histogram, long micros) {
    recorder(histogram).recordValue(Math.max(0, micros));
  }

  void recordSince(String histogram, long startNanos) {
    recordMicros(histogram, (System.nanoTime() - startNanos) / 1_000);
  }

  void markFirst(String name, long epochMillis) {
    firstMarks.computeIfAbsent(name, n -> new AtomicLong(Long.MAX_VALUE)).accumulateAndGet(epochMillis, Math::min);
  }

  void markLast(String name, long epochMillis) {
    lastMarks.computeIfAbsent(name, n -> new AtomicLong(Long.MIN_VALUE)).accumulateAndGet(epochMillis, Math::max);
  }

  Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The histograms recorded since the previous call; each is added to the run's totals too. */
  synchronized Map<String, Histogram> drainIntervals() {
    Map<String, Histogram> out = new TreeMap<>();
    recorders.forEach((name, r) -> {
      Histogram interval = r.getIntervalHistogram();
      totals.computeIfAbsent(name, n -> Measurements.newHistogram()).add(interval);
      out.put(name, interval);
    });
    return out;
  }

  /** Everything measured so far, as mergeable measurements (drains the recorders one last time). */
  synchronized Measurements snapshot() {
    drainIntervals();
    Measurements m = new Measurements();
    m.counters.putAll(counters());
    errors.forEach((k, v) -> m.errors.put(k, v.sum()));
    totals.forEach((k, v) -> m.histograms.put(k, v.copy()));
    firstMarks.forEach((k, v) -> m.firstMarks.put(k, v.get()));
    lastMarks.forEach((k, v) -> m.lastMarks.put(k, v.get()));
    return m;
  }
}
