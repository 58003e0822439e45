package io.officehours.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What one load-generator process measured, in a form that adds up: counters and error counts are
 * summed, histograms merged, first/last marks (epoch ms) take the minimum/maximum, and per-index
 * series combine element by element. A child process writes its measurements as JSON (histograms
 * as base64 of HdrHistogram's compressed encoding); the parent merges them and derives every rate
 * and percentile from the merged whole, never by averaging the children's percentiles.
 */
final class Measurements {

  /** How a per-index series combines across processes. Zero means "not set" for MIN and MAX. */
  enum Op { SUM, MIN, MAX }

  record Series(Op op, long[] values) {}

  final Map<String, Long> counters = new TreeMap<>();
  final Map<String, Long> errors = new TreeMap<>();
  final Map<String, Histogram> histograms = new TreeMap<>();
  final Map<String, Long> firstMarks = new TreeMap<>();
  final Map<String, Long> lastMarks = new TreeMap<>();
  final Map<String, Series> series = new TreeMap<>();
  boolean timedOut;
  int processes = 1;

  long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  long errorTotal() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  Histogram histogram(String name) {
    Histogram h = histograms.get(name);
    return h != null ? h : newHistogram();
  }

  /** Milliseconds between a first mark and a last mark, or 0 when either is missing. */
  long spanMillis(String first, String last) {
    Long a = firstMarks.get(first);
    Long b = lastMarks.get(last);
    return a == null || b == null ? 0 : Math.max(0, b - a);
  }

  static Histogram newHistogram() {
    Histogram h = new Histogram(3);
    h.setAutoResize(true);
    return h;
  }

  Measurements merge(Measurements other) {
    other.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
    other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    other.histograms.forEach((k, v) -> histograms.computeIfAbsent(k, n -> newHistogram()).add(v));
    other.firstMarks.forEach((k, v) -> firstMarks.merge(k, v, Math::min));
    other.lastMarks.forEach((k, v) -> lastMarks.merge(k, v, Math::max));
    other.series.forEach((k, v) -> series.merge(k, v, Measurements::combine));
    timedOut |= other.timedOut;
    processes += other.processes;
    return this;
  }

  private static Series combine(Series a, Series b) {
    long[] out = Arrays.copyOf(a.values, Math.max(a.values.length, b.values.length));
    for (int i = 0; i < b.values.length; i++) {
      long x = out[i];
      long y = b.values[i];
      out[i] = switch (a.op) {
        case SUM -> x + y;
        case MIN -> x == 0 ? y : y == 0 ? x : Math.min(x, y);
        case MAX -> Math.max(x, y);
      };
    }
    return new Series(a.op, out);
  }

  JsonObject toJson() {
    JsonObject hist = new JsonObject();
    histograms.forEach((k, v) -> hist.put(k, encode(v)));
    JsonObject ser = new JsonObject();
    series.forEach((k, v) -> ser.put(k, new JsonObject().put("op", v.op.name()).put("values", toArray(v.values))));
    return new JsonObject()
        .put("processes", processes)
        .put("timedOut", timedOut)
        .put("counters", new JsonObject(new TreeMap<String, Object>(counters)))
        .put("errors", new JsonObject(new TreeMap<String, Object>(errors)))
        .put("firstMarks", new JsonObject(new TreeMap<String, Object>(firstMarks)))
        .put("lastMarks", new JsonObject(new TreeMap<String, Object>(lastMarks)))
        .put("series", ser)
        .put("histograms", hist);
  }

  static Measurements fromJson(JsonObject json) {
    Measurements m = new Measurements();
    m.processes = json.getInteger("processes", 1);
    m.timedOut = json.getBoolean("timedOut", false);
    longs(json.getJsonObject("counters"), m.counters);
    longs(json.getJsonObject("errors"), m.errors);
    longs(json.getJsonObject("firstMarks"), m.firstMarks);
    longs(json.getJsonObject("lastMarks"), m.lastMarks);
    JsonObject ser = json.getJsonObject("series", new JsonObject());
    for (String k : ser.fieldNames()) {
      JsonObject s = ser.getJsonObject(k);
      JsonArray values = s.getJsonArray("values");
      long[] v = new long[values.size()];
      for (int i = 0; i < v.length; i++) v[i] = values.getLong(i);
      m.series.put(k, new Series(Op.valueOf(s.getString("op")), v));
    }
    JsonObject hist = json.getJsonObject("histograms", new JsonObject());
    for (String k : hist.fieldNames()) m.histograms.put(k, decode(hist.getString(k)));
    return m;
  }

  private static void longs(JsonObject from, Map<String, Long> into) {
    if (from == null) return;
    for (String k : from.fieldNames()) into.put(k, from.getLong(k));
  }

  private static JsonArray toArray(long[] values) {
    JsonArray a = new JsonArray();
    for (long v : values) a.add(v);
    return a;
  }

  /** Base64 of HdrHistogram's compressed encoding. */
  static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
  }

  static Histogram decode(String base64) {
    try {
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
      h.setAutoResize(true);
      return h;
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
    }
  }

  /** Percentiles of a histogram of microseconds, in milliseconds with 3 decimals. */
  static JsonObject percentiles(Histogram h) {
    JsonObject out = new JsonObject().put("unit", "ms").put("count", h.getTotalCount());
    if (h.getTotalCount() == 0) return out;
    return out
        .put("min", ms(h.getMinValue()))
        .put("p50", ms(h.getValueAtPercentile(50)))
        .put("p90", ms(h.getValueAtPercentile(90)))
        .put("p99", ms(h.getValueAtPercentile(99)))
        .put("p999", ms(h.getValueAtPercentile(99.9)))
        .put("max", ms(h.getMaxValue()))
        .put("mean", Math.round(h.getMean()) / 1000.0);
  }

  static double ms(long micros) {
    return micros / 1000.0;
  }
}
