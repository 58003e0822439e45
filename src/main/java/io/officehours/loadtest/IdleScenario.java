package io.officehours.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Many idle connections: each authenticates, registers its inbox and confirms the registration
 * with a {@code tutor.me} round trip, then only pings (every {@code --ping-interval}). Connections
 * are opened at {@code --rate} per second (split over the processes) and held for
 * {@code --duration} once every one has been tried. Reports the connect rate reached, failures by
 * reason, connections the server closed, and (with {@code --server-pid}) the server's heap per
 * connection.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Opens N authenticated, registered connections at a rate and holds them for --duration.")
final class IdleScenario extends Scenario implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--connections", defaultValue = "1000", description = "Connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--rate", defaultValue = "1000", description = "New connections per second, 0 for all at once (default: ${DEFAULT-VALUE})")
  int rate;

  private final AtomicInteger attempts = new AtomicInteger();
  private String[] tokens;
  private int mine;
  private volatile long steadyAt;
  private long launchTimer = -1;
  private Duration hold;

  @Override
  public Integer call() {
    if (connections < 0 || rate < 0) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "counts must not be negative");
    return Driver.run(common, this, spec);
  }

  @Override
  String name() {
    return "idle";
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("connections", connections).put("rate", rate).put("duration", common.duration.toString());
  }

  @Override
  Duration defaultTimeout(CommonOptions o) {
    long connectSeconds = rate > 0 ? connections / rate : 0;
    return o.duration.plusSeconds(connectSeconds + 120);
  }

  @Override
  int connectionsPerTarget(CommonOptions o) {
    int n = o.targets().size();
    return (connections + n - 1) / n;
  }

  @Override
  Future<Void> prepare(RunContext ctx) {
    mine = ctx.options.share(connections);
    hold = ctx.options.duration;
    ctx.stats.declare("registered", "registerFailures", "heldAtEnd");
    ctx.stats.declareHistograms("registered");
    return Tokens.forStudents(ctx, "i", mine).map(t -> {
      tokens = t;
      return null;
    });
  }

  @Override
  void start(RunContext ctx) {
    if (mine == 0) {
      steadyAt = System.nanoTime();
      return;
    }
    double perProcess = rate <= 0 ? 0 : Math.max(1e-3, rate / (double) ctx.options.childCount);
    // each connection then lives on its own event loop
    launchTimer = Registration.atRate(ctx.vertx, mine, perProcess,
        k -> Registration.connectAndRegister(ctx, k, ctx.options.userId("i", k), tokens[k], "registered", System.nanoTime())
            .onComplete(done -> attempted()),
        () -> { });
  }

  private void attempted() {
    if (attempts.incrementAndGet() == mine) steadyAt = System.nanoTime();
  }

  @Override
  boolean steady() {
    return steadyAt != 0;
  }

  @Override
  boolean selfDone() {
    return steadyAt != 0 && System.nanoTime() - steadyAt >= hold.toNanos();
  }

  @Override
  Future<Void> stop(RunContext ctx) {
    if (launchTimer >= 0) ctx.vertx.cancelTimer(launchTimer);
    ctx.stats.add("heldAtEnd", ctx.stats.get("connected"));
    return ctx.connector.closeAll();
  }

  @Override
  String progress(Map<String, Long> c, Map<String, Long> perSecond, long errors) {
    return String.format("connected %,d/%,d  registered %,d  new/s %,d  closed by server %,d  errors %,d",
        c.getOrDefault("connected", 0L), connections, c.getOrDefault("registered", 0L),
        perSecond.getOrDefault("connects", 0L), c.getOrDefault("closedByServer", 0L), errors);
  }

  @Override
  JsonObject summarize(Measurements m, JsonObject server) {
    long registered = m.counter("registered");
    long window = m.spanMillis("firstConnect", "lastRegistered");
    long failures = m.counter("connectFailures") + m.counter("registerFailures");
    long held = m.counter("heldAtEnd");
    long dropped = m.counter("closedByServer");
    JsonObject summary = new JsonObject()
        .put("connections", connections)
        .put("registered", registered)
        .put("failures", failures)
        .put("heldAtEnd", held)
        .put("closedByServer", dropped)
        .put("connectWindowMs", window)
        .put("connectRatePerSecond", window > 0 ? Math.round(registered * 1000.0 / window) : 0)
        .put("requestedRate", rate)
        .put("pings", m.counter("pings"))
        .put("holdSeconds", common.duration.toSeconds());
    Long before = server.getLong("heapUsedBeforeBytes");
    Long after = server.getLong("heapUsedAfterBytes");
    Long atProbe = server.getLong("connectionsAtProbe");
    if (before != null && after != null && atProbe != null && atProbe > 0) {
      summary.put("serverHeapPerConnectionBytes", Math.round((after - before) / (double) atProbe));
    } else {
      summary.put("serverHeapPerConnectionBytes", null);
    }
    JsonObject latency = new JsonObject()
        .put("connect", Measurements.percentiles(m.histogram("connect")))
        .put("registered", Measurements.percentiles(m.histogram("registered")));
    JsonObject definitions = new JsonObject()
        .put("connectRatePerSecond", "registered connections / (first connect attempt .. last registration confirmed)")
        .put("registered", "connect attempt until the tutor.me reply that follows the inbox register frame")
        .put("serverHeapPerConnectionBytes", "(server heap used with the connections open - before any) / connections open at that moment; "
            + "with --server-pid read by jcmd after a full GC (live objects), else from GET /metrics with no GC forced (includes garbage)")
        .put("closedByServer", "connections closed while held, not by this generator");
    boolean passed = failures == 0 && dropped == 0 && registered == connections && !m.timedOut;
    return new JsonObject().put("summary", summary).put("latency", latency).put("definitions", definitions).put("passed", passed);
  }

  @Override
  JsonObject charts() {
    return new JsonObject()
        .put("rates", new JsonArray(List.of("connects")))
        .put("levels", new JsonArray(List.of("connected", "registered")))
        .put("latency", new JsonArray(List.of("connect", "registered")));
  }
}
