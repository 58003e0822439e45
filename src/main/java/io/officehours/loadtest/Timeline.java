package io.officehours.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The run sampled once a second: cumulative counters, the error total, and the percentiles of what
 * each latency histogram recorded during that second ({@code [count, p50, p90, p99, max]} in ms).
 */
final class Timeline {
  private final JsonArray samples = new JsonArray();
  private Map<String, Long> previous = new HashMap<>();
  private double previousT;

  /** Adds a sample at {@code t} seconds after the start; returns each counter's change per second since the last one. */
  Map<String, Long> add(double t, Map<String, Long> counters, long errors, Map<String, Histogram> intervals) {
    JsonObject h = new JsonObject();
    intervals.forEach((name, hist) -> {
      if (hist.getTotalCount() == 0) return;
      h.put(name, new JsonArray().add(hist.getTotalCount())
          .add(Measurements.ms(hist.getValueAtPercentile(50)))
          .add(Measurements.ms(hist.getValueAtPercentile(90)))
          .add(Measurements.ms(hist.getValueAtPercentile(99)))
          .add(Measurements.ms(hist.getMaxValue())));
    });
    samples.add(new JsonObject()
        .put("t", Math.round(t * 10) / 10.0)
        .put("c", new JsonObject(new TreeMap<String, Object>(counters)))
        .put("e", errors)
        .put("h", h));
    double dt = Math.max(0.001, t - previousT);
    Map<String, Long> perSecond = new HashMap<>();
    counters.forEach((k, v) -> perSecond.put(k, Math.round((v - previous.getOrDefault(k, 0L)) / dt)));
    previous = counters;
    previousT = t;
    return perSecond;
  }

  JsonArray samples() {
    return samples;
  }
}
