package io.officehours.cluster;

import io.officehours.Node;
import io.officehours.TestNode;
import io.officehours.config.Config;
import io.officehours.config.ServerCommand;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Several clustered nodes in one JVM, each with its own Vert.x and Hazelcast member, on loopback
 * ports of their own and a random cluster name so parallel runs never join each other.
 */
public final class TestCluster implements AutoCloseable {

  public record Member(ClusterNode node, Config config, WebSocketClient ws) {
    public int port() {
      return config.port();
    }
  }

  public final List<Member> members = new ArrayList<>();
  private final String name = "oh-test-" + UUID.randomUUID();
  private final List<Integer> hazelcastPorts = new ArrayList<>();

  /**
   * Starts the members together. A port found free can be taken before a member binds it (by
   * another member's outgoing connection, say): then every member started is stopped, so no
   * Hazelcast instance outlives the attempt, and the cluster starts once more on new ports.
   */
  public static TestCluster start(int size, String... flags) {
    try {
      return attempt(size, flags);
    } catch (RuntimeException portTaken) {
      return attempt(size, flags);
    }
  }

  private static TestCluster attempt(int size, String... flags) {
    TestCluster cluster = new TestCluster();
    for (int i = 0; i < size; i++) cluster.hazelcastPorts.add(TestNode.freePort());
    List<ClusterNode> nodes = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Member>> started = new ArrayList<>();
    for (int i = 0; i < size; i++) started.add(cluster.startMember(i, nodes, flags));
    try {
      TestNode.await(Future.join(started));
      for (Future<Member> f : started) {
        if (f.failed()) throw new IllegalStateException("a member did not start", f.cause());
        cluster.members.add(f.result());
      }
      return cluster;
    } catch (RuntimeException e) {
      for (ClusterNode node : List.copyOf(nodes)) {
        try {
          TestNode.await(node.vertx().close());
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  private Future<Member> startMember(int index, List<ClusterNode> nodes, String... flags) {
    List<String> args = new ArrayList<>(List.of(
        "--port", String.valueOf(TestNode.freePort()), "--host", "127.0.0.1", "--node-id", "n" + index,
        "--cluster", "--cluster-name", name, "--cluster-host", "127.0.0.1",
        "--cluster-port", String.valueOf(hazelcastPorts.get(index)),
        "--cluster-members", String.join(",", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).toList()),
        "--request-timeout", "3s", "--grace", "0s"));
    args.addAll(List.of(flags));
    Config config = ServerCommand.parse(Map.of(), args.toArray(String[]::new));
    VertxOptions options = new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
    return ClusterNode.start(config, options)
        .onSuccess(nodes::add)
        .compose(node -> Node.deploy(node.vertx(), config, node.backends(config))
            .map(d -> new Member(node, config, node.vertx().createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)))));
  }

  public String token(int member, String userId, String role) {
    return new io.officehours.gateway.TokenService(members.get(member).node().vertx(), members.get(member).config())
        .issue(userId, io.officehours.common.Role.parse(role));
  }

  /** A bridge client of {@code userId} connected to member {@code index}. */
  public BridgeClient connect(int index, String userId, String role) {
    Member m = members.get(index);
    return TestNode.await(BridgeClient.connect(m.ws(), "127.0.0.1", m.port(), token(index, userId, role)));
  }

  /** Stops one member the polite way (its sockets close, it leaves the cluster). */
  public void stop(int index) {
    TestNode.await(members.get(index).node().vertx().close());
  }

  @Override
  public void close() {
    for (Member m : members) {
      try {
        TestNode.await(m.node().vertx().close());
      } catch (RuntimeException alreadyClosed) {
        // a test stopped it
      }
    }
  }
}
