package io.officehours.cluster;

import io.officehours.TestNode;
import io.officehours.common.Role;
import io.officehours.config.ServerCommand;
import io.officehours.gateway.TokenService;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * Clustered nodes as separate JVMs (the test's own classpath, {@code io.officehours.Main}), for
 * tests where a node must really die: {@link #kill} is a SIGKILL. Logs go to target/process-logs.
 */
public final class ProcessCluster implements AutoCloseable {

  public record Proc(int index, int port, int hazelcastPort, Process process, Path log) {}

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  public final List<Proc> nodes = new ArrayList<>();
  /** The tests' clients, made on the first connect. */
  private Vertx clients;
  private WebSocketClient ws;
  private TokenService tokens;
  private final String name = "oh-proc-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = new ArrayList<>();
  /** Nodes to start on a new HTTP port: their old one was taken while they were down. */
  private final java.util.Set<Integer> freshPort = new java.util.HashSet<>();
  private final String[] flags;

  private ProcessCluster(int size, String... flags) {
    this.flags = flags;
    for (int i = 0; i < size; i++) hazelcastPorts.add(TestNode.freePort());
  }

  /** Starts the nodes one after the other, each ready before the next, and waits for a full cluster. */
  public static ProcessCluster start(int size, String... flags) throws Exception {
    ProcessCluster cluster = new ProcessCluster(size, flags);
    try {
      for (int i = 0; i < size; i++) cluster.nodes.add(cluster.launch(i));
      for (Proc p : cluster.nodes) cluster.awaitReady(p, 60);
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private Proc launch(int index) throws IOException {
    int port = index < nodes.size() && !freshPort.remove(index) ? nodes.get(index).port() : TestNode.freePort();
    Path logs = Path.of("target", "process-logs");
    Files.createDirectories(logs);
    Path log = logs.resolve(name + "-n" + index + ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "--add-modules", "java.se",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), "io.officehours.Main",
        "--port", String.valueOf(port), "--host", "127.0.0.1", "--node-id", "p" + index, "--gateways", "1",
        "--cluster", "--cluster-name", name, "--cluster-host", "127.0.0.1",
        "--cluster-port", String.valueOf(hazelcastPorts.get(index)),
        "--cluster-members", String.join(",", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList()),
        "--request-timeout", "10s"));
    if (!List.of(flags).contains("--grace")) command.addAll(List.of("--grace", "0s"));
    command.addAll(List.of(flags));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Proc(index, port, hazelcastPorts.get(index), process, log);
  }

  /** Waits until GET /ready answers 200 (joined, partitions safe). */
  public void awaitReady(Proc p, int seconds) {
    Awaitility.await("node " + p.index() + " ready (log " + p.log() + ")").atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!p.process().isAlive()) throw new IllegalStateException("node " + p.index() + " died: " + Files.readString(p.log()));
          try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/ready"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
          } catch (IOException notYet) {
            return false; // not listening yet
          }
        });
  }

  /**
   * Starts a node again at the same index (a new incarnation), on the same ports if it can, and
   * waits until it is ready. A port of the dead node can meanwhile be the local end of another
   * process's outgoing connection (test ports come from the ephemeral range): the node then starts
   * on new ports, and joins through the others' addresses as any new member does.
   */
  public void restart(int index) throws Exception {
    for (int attempt = 1; ; attempt++) {
      nodes.set(index, launch(index));
      try {
        awaitReady(nodes.get(index), 60);
        return;
      } catch (RuntimeException died) {
        if (attempt == 3 || nodes.get(index).process().isAlive()) throw died;
        hazelcastPorts.set(index, TestNode.freePort());
        freshPort.add(index);
      }
    }
  }

  /** A gauge of a node's Prometheus /metrics, or -1 when it cannot be read. */
  public double gauge(int index, String name) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodes.get(index).port() + "/metrics"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  /** SIGKILL: no goodbye to the cluster, sockets reset by the kernel. */
  public void kill(int index) throws InterruptedException {
    Process p = nodes.get(index).process();
    p.destroyForcibly();
    p.waitFor();
  }

  @Override
  public void close() {
    if (clients != null) {
      TestNode.await(clients.close());
      clients = null;
    }
    for (Proc p : nodes) {
      p.process().destroy();
    }
    for (Proc p : nodes) {
      try {
        if (!p.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) p.process().destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A bridge client of {@code userId} on node {@code node}, with a dev token (the nodes run in dev mode). */
  public synchronized BridgeClient connect(int node, String userId, String role) {
    if (clients == null) {
      clients = Vertx.vertx();
      ws = clients.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1000));
      tokens = new TokenService(clients, ServerCommand.parse(Map.of()));
    }
    return TestNode.await(BridgeClient.connect(ws, "127.0.0.1", nodes.get(node).port(), tokens.issue(userId, Role.parse(role))));
  }

  public static File logsDir() {
    return Path.of("target", "process-logs").toFile();
  }
}
