package io.officehours.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.ConnectException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the bridge connections of one process: client {@code g} (a global index, interleaved over
 * processes) goes to target {@code g % targets}, from source address number
 * {@code (g / targets) / perSource}, so no (source, target) pair needs more ephemeral ports than
 * the kernel has. Keeps every {@link WebSocketClient} it made (Vert.x closes an unreachable client
 * together with its sockets), pings every open connection once per ping interval (one timer,
 * sockets spread over the interval's seconds) and counts opens, failures and closes.
 */
final class Connector {

  private final Vertx vertx;
  private final Stats stats;
  private final List<CommonOptions.Target> targets;
  private final List<String> sources;
  private final boolean roundRobin;
  private final int perSource;
  private final long connectTimeoutMs;
  private final Map<String, WebSocketClient> clients = new HashMap<>();
  private final List<Set<BridgeClient>> pingBuckets = new ArrayList<>();
  private final Set<BridgeClient> open = ConcurrentHashMap.newKeySet();
  private final long pingTimer;
  private final List<Context> contexts = new ArrayList<>();
  private final AtomicInteger nextContext = new AtomicInteger();
  private volatile boolean closing;
  private long tick;

  /**
   * @param perTarget connections this run sends to one target at most (all processes): when more
   *                  than {@code perSource} and no source addresses are given, 127.0.0.2... are used
   */
  Connector(Vertx vertx, Stats stats, CommonOptions options, int perTarget) {
    this.vertx = vertx;
    this.stats = stats;
    this.targets = options.targets();
    this.perSource = options.perSource;
    this.connectTimeoutMs = options.connectTimeout.toMillis();
    List<String> given = options.sourceAddresses == null ? List.of() : options.sourceAddresses;
    roundRobin = !given.isEmpty();
    if (!given.isEmpty()) {
      sources = List.copyOf(given);
    } else if (perTarget > perSource) {
      List<String> auto = new ArrayList<>();
      for (int i = 0; i * (long) perSource < perTarget; i++) auto.add("127.0.0." + (2 + i));
      sources = auto;
    } else {
      sources = List.of();
    }
    int seconds = (int) Math.max(1, options.pingInterval.toSeconds());
    for (int i = 0; i < seconds; i++) pingBuckets.add(ConcurrentHashMap.newKeySet());
    contexts.addAll(EventLoops.contexts(vertx));
    stats.declare("connected", "connects", "connectFailures", "closedByServer", "pings");
    stats.declareHistograms("connect");
    pingTimer = vertx.setPeriodic(1000, t -> pingBucket());
  }

  List<String> sources() {
    return sources;
  }

  private synchronized WebSocketClient client(String source) {
    return clients.computeIfAbsent(source == null ? "" : source, s -> {
      WebSocketClientOptions o = new WebSocketClientOptions()
          .setMaxConnections(1_000_000)
          .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs))
          .setMaxFrameSize(1 << 20)
          .setMaxMessageSize(1 << 20)
          .setTcpNoDelay(true);
      if (!s.isEmpty()) o.setLocalAddress(s);
      return vertx.createWebSocketClient(o);
    });
  }

  CommonOptions.Target target(int globalIndex) {
    return targets.get(globalIndex % targets.size());
  }

  String source(int globalIndex) {
    if (sources.isEmpty()) return null;
    int ordinal = globalIndex / targets.size();
    // given addresses take turns; automatic ones fill up one after the other
    return roundRobin ? sources.get(ordinal % sources.size()) : sources.get(Math.min(sources.size() - 1, ordinal / perSource));
  }

  /**
   * Connects client {@code globalIndex} with its token. Records the time to the completed upgrade
   * ({@code connect}) and counts the failure by reason: {@code connect.timeout},
   * {@code connect.refused}, {@code connect.http-<status>}, {@code connect.no-port},
   * {@code connect.other}. A connection that completes after its timeout is closed at once.
   */
  Future<BridgeClient> connect(int globalIndex, String token) {
    CommonOptions.Target t = target(globalIndex);
    WebSocketClient client = client(source(globalIndex));
    long started = System.nanoTime();
    stats.markFirst("firstConnect", EpochClock.millis());
    Promise<BridgeClient> result = Promise.promise();
    long timer = vertx.setTimer(connectTimeoutMs, x -> result.tryFail(new TimeoutException("no upgrade within " + connectTimeoutMs + " ms")));
    Context context = contexts.get(Math.floorMod(nextContext.getAndIncrement(), contexts.size()));
    context.runOnContext(go -> BridgeClient.connect(client, t.host(), t.port(), token).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        BridgeClient c = ar.result();
        if (!result.tryComplete(c) || closing) {
          c.close();
          return;
        }
        stats.recordSince("connect", started);
        stats.inc("connects");
        stats.inc("connected");
        open.add(c);
        Set<BridgeClient> bucket = pingBuckets.get(globalIndex % pingBuckets.size());
        bucket.add(c);
        c.closeFuture().onComplete(v -> {
          bucket.remove(c);
          if (open.remove(c)) {
            stats.dec("connected");
            if (!closing) stats.inc("closedByServer");
          }
        });
      } else {
        result.tryFail(ar.cause());
      }
    }));
    return result.future().onFailure(e -> {
      stats.inc("connectFailures");
      stats.error(reason(e));
    });
  }

  static String reason(Throwable e) {
    if (e instanceof TimeoutException) return "connect.timeout";
    if (e instanceof UpgradeRejectedException u) return "connect.http-" + u.getStatus();
    if (e instanceof BindException) return "connect.no-port";
    if (e instanceof ConnectException) return "connect.refused";
    String m = String.valueOf(e.getMessage());
    if (m.contains("Cannot assign requested address")) return "connect.no-port";
    if (m.contains("Connection refused")) return "connect.refused";
    if (m.contains("Connection reset")) return "connect.reset";
    return "connect.other";
  }

  /** Closes a client the scenario is done with; it is not counted as closed by the server. */
  Future<Void> close(BridgeClient c) {
    if (open.remove(c)) stats.dec("connected");
    return c.close();
  }

  private void pingBucket() {
    Set<BridgeClient> bucket = pingBuckets.get((int) (tick++ % pingBuckets.size()));
    for (BridgeClient c : bucket) {
      c.ping();
      stats.inc("pings");
    }
  }

  /** Closes every connection still open (bounded: gives up waiting after 10 s) and the clients. */
  Future<Void> closeAll() {
    closing = true;
    vertx.cancelTimer(pingTimer);
    List<Future<Void>> closes = new ArrayList<>();
    for (BridgeClient c : List.copyOf(open)) closes.add(close(c));
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(10_000, t -> done.tryComplete());
    Future.join(closes).onComplete(ar -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future().compose(v -> {
      List<Future<Void>> shut = new ArrayList<>();
      synchronized (this) {
        clients.values().forEach(c -> shut.add(c.close()));
      }
      return Future.join(shut).<Void>mapEmpty().otherwiseEmpty();
    });
  }
}
