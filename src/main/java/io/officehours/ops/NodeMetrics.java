package io.officehours.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.officehours.config.Config;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import io.vertx.core.json.JsonObject;

/**
 * The node's own counters, next to the ones Vert.x keeps (event bus, HTTP, JVM) in the same
 * Prometheus registry: connections held, frames in by type, requests by address, pushes written,
 * and errors by code. Micrometer meters are thread-safe, so every gateway instance shares one.
 */
public final class NodeMetrics {

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger presenceUsers = new AtomicInteger();
  private final AtomicInteger presenceConnections = new AtomicInteger();
  private final LongAdder framesIn = new LongAdder();
  private final LongAdder framesOut = new LongAdder();
  private final Throughput throughput = new Throughput();
  // looked up once: a registry lookup per frame cost about 5% of a busy node's CPU (benchmarks.md)
  private final Map<String, Counter> framesInByType = new ConcurrentHashMap<>();
  private final Map<String, Counter> requestsByAddress = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> errorsByCode = new ConcurrentHashMap<>();
  private final Counter pushFrames;

  private NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("officehours.connections", connections);
    // this node's replica of the whole deployment: equal on every node once presence has converged
    registry.gauge("officehours.presence.users", presenceUsers);
    registry.gauge("officehours.presence.connections", presenceConnections);
    pushFrames = registry.counter("officehours.frames.out");
  }

  public void presence(int users, int connectionCount) {
    presenceUsers.set(users);
    presenceConnections.set(connectionCount);
  }

  /** Vert.x options with Prometheus metrics in a registry named after the node, and the node's event loops. */
  public static VertxOptions vertxOptions(Config config) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setRegistryName(config.nodeId())
        // pools by type and name: without them every pool (workers, internal blocking, Redis) would
        // register the same meters, and micrometer warns at every start and keeps only the first
        .setLabels(EnumSet.of(Label.EB_ADDRESS, Label.EB_FAILURE, Label.HTTP_CODE, Label.HTTP_METHOD, Label.POOL_TYPE, Label.POOL_NAME))
        // reply addresses are one per request: fold them into one label value
        .addLabelMatch(new Match().setDomain(MetricsDomain.EVENT_BUS).setLabel(Label.EB_ADDRESS.toString())
            .setType(MatchType.REGEX).setValue("__vertx\\.reply\\..*").setAlias("reply"))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    // a meter lookup per event-bus message was 8 % of a busy node's CPU (benchmarks.md, issue 18)
    if (!config.eventBusMetrics()) options.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    // Vert.x's HTTP and TCP server meters record bytes on every socket read and write
    if (!config.httpMetrics()) {
      options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
      options.addDisabledMetricsCategory(MetricsDomain.NET_SERVER);
    }
    // one event loop per gateway instance by default: the other verticles share them, so a node
    // has as many busy threads as cores, not twice as many (fewer hand-offs and wake-ups)
    return new VertxOptions().setMetricsOptions(options).setEventLoopPoolSize(config.eventLoops());
  }

  /** The metrics of the node whose Vert.x was built with {@link #vertxOptions}, or private ones when metrics are off. */
  public static NodeMetrics forNode(Config config) {
    MeterRegistry registry = BackendRegistries.getNow(config.nodeId());
    return new NodeMetrics(registry != null ? registry : new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public int connections() {
    return connections.get();
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public void frameIn(String type) {
    framesIn.increment();
    String known = KNOWN_TYPES.contains(type) ? type : "invalid";
    framesInByType.computeIfAbsent(known, t -> registry.counter("officehours.frames.in", "type", t)).increment();
  }

  public void request(String address) {
    // only addresses BridgePolicy lets through get here, so the map stays small
    requestsByAddress.computeIfAbsent(address, a -> registry.counter("officehours.requests", "address", a)).increment();
  }

  /** Every frame written to a client: replies, pushes and errors. */
  public void frameOut() {
    framesOut.increment();
  }

  /**
   * The node's traffic for operators: {@code {"framesIn","framesOut"}} since start, and
   * {@code {"inPerSec","outPerSec"}} over the time since the previous sample (taken at most once a
   * second, so that several callers do not shrink the window to nothing).
   */
  public JsonObject traffic(long now) {
    return throughput.sample(now, framesIn.sum(), framesOut.sum());
  }

  public void pushes(int frames) {
    pushFrames.increment(frames);
  }

  public void error(int code) {
    errorsByCode.computeIfAbsent(code, c -> registry.counter("officehours.errors", "code", String.valueOf(c))).increment();
  }

  private static final Set<String> KNOWN_TYPES = Set.of("ping", "send", "publish", "register", "unregister");
}
