package io.officehours.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The result of a run, the same shape for one process or many merged: what ran
 * ({@code scenario, params, targets, procs}), whether it {@code passed}, the scenario's
 * {@code summary} / {@code correctness} / {@code latency} (ms) / {@code definitions}, all
 * {@code counts} and {@code errors} by code, the {@code server} probe, the per-second
 * {@code timeline}, percentile curves, and every histogram (base64 HdrHistogram) for later merging.
 */
final class Results {

  private Results() {}

  static JsonObject build(Scenario s, CommonOptions o, Measurements m, JsonArray timeline, JsonObject server,
      long startedAt, List<String> notes, String failure) {
    JsonObject section = s.summarize(m, server);
    boolean passed = section.getBoolean("passed", false) && failure == null;
    JsonObject curves = new JsonObject();
    JsonObject encoded = new JsonObject();
    m.histograms.forEach((name, h) -> {
      encoded.put(name, Measurements.encode(h));
      if (h.getTotalCount() > 0) curves.put(name, curve(h));
    });
    JsonArray targets = new JsonArray();
    o.targets().forEach(t -> targets.add(t.toString()));
    JsonObject result = new JsonObject()
        .put("scenario", s.name())
        .put("runId", o.runId())
        .put("startedAt", Instant.ofEpochMilli(startedAt).toString())
        .put("finishedAt", Instant.now().toString())
        .put("targets", targets)
        .put("procs", o.procs)
        .put("params", s.params())
        .put("passed", passed)
        .put("timedOut", m.timedOut)
        .put("failure", failure)
        .put("summary", section.getJsonObject("summary"));
    if (section.containsKey("correctness")) result.put("correctness", section.getJsonObject("correctness"));
    return result
        .put("latency", section.getJsonObject("latency"))
        .put("errors", new JsonObject(new java.util.TreeMap<String, Object>(m.errors)))
        .put("counts", new JsonObject(new java.util.TreeMap<String, Object>(m.counters)))
        .put("server", server)
        .put("definitions", section.getJsonObject("definitions"))
        .put("notes", new JsonArray(List.copyOf(notes)))
        .put("charts", s.charts())
        .put("timeline", timeline)
        .put("percentileCurves", curves)
        .put("histograms", encoded);
  }

  /** [percentile, ms] points from 0 to 100 on HdrHistogram's logarithmic percentile ticks. */
  private static JsonArray curve(Histogram h) {
    JsonArray points = new JsonArray();
    for (HistogramIterationValue v : h.percentiles(5)) {
      points.add(new JsonArray().add(Math.min(100.0, v.getPercentileLevelIteratedTo())).add(Measurements.ms(v.getValueIteratedTo())));
      if (points.size() > 200) break;
    }
    return points;
  }

  static void write(Path dir, JsonObject result) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("result.json"), result.encodePrettily());
    Files.writeString(dir.resolve("report.html"), Report.html(result));
  }

  static void printSummary(JsonObject result, Path dir) {
    StringBuilder b = new StringBuilder();
    b.append(result.getString("scenario")).append(result.getBoolean("passed") ? ": PASSED" : ": FAILED").append('\n');
    if (result.getString("failure") != null) b.append("  failure: ").append(result.getString("failure")).append('\n');
    result.getJsonObject("summary").forEach(e -> {
      if (!(e.getValue() instanceof JsonArray)) b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    });
    JsonObject correctness = result.getJsonObject("correctness");
    if (correctness != null) b.append("  correctness: ").append(correctness.encode()).append('\n');
    result.getJsonObject("latency").forEach(e -> {
      JsonObject l = (JsonObject) e.getValue();
      if (l.getLong("count", 0L) > 0) {
        b.append(String.format("  %-16s n=%-8d p50 %8.3f  p90 %8.3f  p99 %8.3f  max %8.3f ms%n", e.getKey(), l.getLong("count"),
            l.getDouble("p50"), l.getDouble("p90"), l.getDouble("p99"), l.getDouble("max")));
      }
    });
    b.append("  errors: ").append(result.getJsonObject("errors").encode()).append('\n');
    result.getJsonArray("notes").forEach(n -> b.append("  note: ").append(n).append('\n'));
    b.append("  result: ").append(dir.resolve("result.json")).append("  report: ").append(dir.resolve("report.html"));
    System.err.println(b);
  }
}
