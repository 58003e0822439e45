package io.officehours.loadtest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * A crowd arriving at once: C connections are started together, each registers its inbox and
 * confirms with a {@code tutor.me} round trip (the server handles a socket's frames in order, so the
 * reply proves the registration was processed). Measures the distribution of the time from the
 * start signal to connected-and-registered, then closes everything.
 */
@Command(name = "arrival", mixinStandardHelpOptions = true, sortOptions = false,
    description = "C connections at once: distribution of time to connected-and-registered.")
final class ArrivalScenario extends Scenario implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--connections", defaultValue = "1000", description = "Connections started at once (default: ${DEFAULT-VALUE})")
  int connections;

  private final AtomicInteger attempts = new AtomicInteger();
  private String[] tokens;
  private int mine;

  @Override
  public Integer call() {
    if (connections < 1) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--connections must be at least 1");
    return Driver.run(common, this, spec);
  }

  @Override
  String name() {
    return "arrival";
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("connections", connections);
  }

  @Override
  int connectionsPerTarget(CommonOptions o) {
    int n = o.targets().size();
    return (connections + n - 1) / n;
  }

  @Override
  Future<Void> prepare(RunContext ctx) {
    mine = ctx.options.share(connections);
    ctx.stats.declare("registered", "registerFailures");
    ctx.stats.declareHistograms("arrival");
    return Tokens.forStudents(ctx, "a", mine).map(t -> {
      tokens = t;
      return null;
    });
  }

  @Override
  void start(RunContext ctx) {
    long started = System.nanoTime();
    for (int k = 0; k < mine; k++) {
      Registration.connectAndRegister(ctx, k, ctx.options.userId("a", k), tokens[k], "arrival", started)
          .onComplete(done -> attempts.incrementAndGet());
    }
  }

  @Override
  boolean steady() {
    return attempts.get() >= mine;
  }

  @Override
  boolean selfDone() {
    return steady();
  }

  @Override
  Future<Void> stop(RunContext ctx) {
    return ctx.connector.closeAll();
  }

  @Override
  String progress(Map<String, Long> c, Map<String, Long> perSecond, long errors) {
    return String.format("connected %,d/%,d  registered %,d  new/s %,d  errors %,d",
        c.getOrDefault("connected", 0L), connections, c.getOrDefault("registered", 0L),
        perSecond.getOrDefault("registered", 0L), errors);
  }

  @Override
  JsonObject summarize(Measurements m, JsonObject server) {
    long registered = m.counter("registered");
    long window = m.spanMillis("firstConnect", "lastRegistered");
    long failures = m.counter("connectFailures") + m.counter("registerFailures");
    JsonObject summary = new JsonObject()
        .put("connections", connections)
        .put("registered", registered)
        .put("failures", failures)
        .put("allRegisteredMs", window)
        .put("ratePerSecond", window > 0 ? Math.round(registered * 1000.0 / window) : 0);
    JsonObject latency = new JsonObject()
        .put("arrival", Measurements.percentiles(m.histogram("arrival")))
        .put("connect", Measurements.percentiles(m.histogram("connect")));
    JsonObject definitions = new JsonObject()
        .put("arrival", "start signal until the tutor.me reply that follows the connection's inbox register frame")
        .put("connect", "connect call until the WebSocket upgrade completed (includes waiting for this process's event loops)")
        .put("allRegisteredMs", "first connect attempt until the last registration confirmed");
    boolean passed = failures == 0 && registered == connections && !m.timedOut;
    return new JsonObject().put("summary", summary).put("latency", latency).put("definitions", definitions).put("passed", passed);
  }

  @Override
  JsonObject charts() {
    return new JsonObject()
        .put("rates", new JsonArray(List.of("registered")))
        .put("levels", new JsonArray(List.of("connected", "registered")))
        .put("latency", new JsonArray(List.of("arrival", "connect")))
        .put("distributions", new JsonArray(List.of("arrival", "connect")));
  }
}
