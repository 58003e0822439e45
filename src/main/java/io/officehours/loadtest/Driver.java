package io.officehours.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a scenario in this process: tokens and preparation before the clock, the start signal, a
 * sample every second (progress line, timeline, or progress message to the parent), and the end
 * when the scenario is done, the parent says stop, or the timeout passes. Everything it starts is
 * bounded: the run by {@code --timeout}, the final close by 30 s.
 */
final class Driver {

  private final CommonOptions o;
  private final Scenario s;

  private Driver(CommonOptions o, Scenario s) {
    this.o = o;
    this.s = s;
  }

  /** The entry point of every scenario command; returns the exit code. */
  static int run(CommonOptions o, Scenario s, CommandSpec spec) {
    try {
      o.validate();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (o.procs > 1 && !o.child) {
      return new Parent(o, s, spec.commandLine().getParseResult().originalArgs()).run();
    }
    try {
      return new Driver(o, s).runHere();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  static Path outDir(CommonOptions o, Scenario s) {
    if (o.out != null) return o.out;
    return Path.of("results", s.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  private int runHere() throws InterruptedException {
    Path out = outDir(o, s);
    ChildLink link = o.child ? new ChildLink(System.in, System.out) : null;
    Vertx vertx = Vertx.vertx();
    Stats stats = new Stats();
    Connector connector = new Connector(vertx, stats, o, s.connectionsPerTarget(o));
    RunContext ctx = new RunContext(vertx, o, stats, connector);
    Duration timeout = o.timeout(s.defaultTimeout(o));
    Timeline timeline = new Timeline();
    JsonObject server = new JsonObject();
    List<String> notes = new ArrayList<>();
    if (!connector.sources().isEmpty()) notes.add("source addresses: " + String.join(", ", connector.sources()));
    String failure = null;
    boolean timedOut = false;
    long startedAt = EpochClock.millis();
    try {
      await(Warmup.run(ctx, o.warmup), timeout, "warming up");
      await(s.prepare(ctx), timeout, "preparing (tokens, subscriptions)");
      if (link == null) ServerSide.before(o, server, notes);
      if (link != null) {
        link.send(new JsonObject().put("type", "ready"));
        if (!link.awaitGo(timeout)) throw new IllegalStateException("no start signal from the parent");
      }
      startedAt = EpochClock.millis();
      ctx.startedAt = startedAt;
      long startNanos = System.nanoTime();
      s.start(ctx);
      long deadline = startNanos + timeout.toNanos();
      boolean probed = false;
      for (int tick = 1; ; tick++) {
        long sleep = startNanos + tick * 1_000_000_000L - System.nanoTime();
        if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
        Map<String, Histogram> intervals = stats.drainIntervals();
        Map<String, Long> counters = stats.counters();
        long errors = stats.errorTotal();
        boolean steady = s.steady();
        boolean done = s.selfDone();
        double t = (System.nanoTime() - startNanos) / 1e9;
        if (link != null) {
          JsonObject encoded = new JsonObject();
          intervals.forEach((k, v) -> {
            if (v.getTotalCount() > 0) encoded.put(k, Measurements.encode(v));
          });
          link.send(new JsonObject().put("type", "progress").put("counters", new JsonObject(new java.util.TreeMap<String, Object>(counters)))
              .put("errors", errors).put("intervals", encoded).put("steady", steady).put("selfDone", done));
        } else {
          Map<String, Long> perSecond = timeline.add(t, counters, errors, intervals);
          Progress.print(o, t, s.progress(counters, perSecond, errors));
          if (steady && !probed) {
            probed = true;
            ServerSide.after(o, server, notes, counters.getOrDefault("connected", 0L));
          }
        }
        if (link != null ? link.stopRequested() : done) break;
        if (System.nanoTime() > deadline) {
          timedOut = true;
          notes.add("timed out after " + timeout.toSeconds() + " s");
          break;
        }
      }
      Progress.end(o);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      failure = e.getMessage() == null ? e.toString() : e.getMessage();
      System.err.println("loadtest: " + failure);
    }
    try {
      await(s.stop(ctx), Duration.ofSeconds(30), "closing connections");
    } catch (Exception e) {
      notes.add("closing: " + e.getMessage());
    }
    Measurements m = stats.snapshot();
    s.addSeries(m);
    m.timedOut = timedOut;
    try {
      await(vertx.close(), Duration.ofSeconds(15), "closing Vert.x");
    } catch (Exception e) {
      notes.add("closing Vert.x: " + e.getMessage());
    }
    try {
      Files.createDirectories(out);
      if (link != null) {
        JsonObject childResult = new JsonObject().put("measurements", m.toJson()).put("failure", failure)
            .put("notes", new io.vertx.core.json.JsonArray(notes));
        Files.writeString(out.resolve("result.json"), childResult.encodePrettily());
        link.send(new JsonObject().put("type", "done"));
        return failure == null ? 0 : 1;
      }
      JsonObject result = Results.build(s, o, m, timeline.samples(), server, startedAt, notes, failure);
      Results.write(out, result);
      Results.printSummary(result, out);
      return result.getBoolean("passed") ? 0 : 1;
    } catch (IOException e) {
      System.err.println("loadtest: cannot write results to " + out + ": " + e.getMessage());
      return 1;
    }
  }

  static <T> T await(Future<T> future, Duration timeout, String what) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(what + ": not done within " + timeout.toSeconds() + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException(what + ": " + (cause.getMessage() == null ? cause : cause.getMessage()), cause);
    }
  }
}
