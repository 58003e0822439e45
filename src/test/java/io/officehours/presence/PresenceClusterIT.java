package io.officehours.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.cluster.ProcessCluster;
import io.officehours.common.Role;
import io.officehours.config.ServerCommand;
import io.officehours.gateway.TokenService;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.awaitility.Awaitility;
import java.time.Duration;

@DisplayName("Cluster-wide presence on three nodes (separate JVMs)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class PresenceClusterIT {

  private static ProcessCluster cluster;
  private static Vertx vertx;
  private static WebSocketClient ws;
  private static TokenService tokens;
  private static final Pushes[] watchers = new Pushes[3];

  @BeforeAll
  static void start() throws Exception {
    // the test's clients never ping: without a long ping timeout the nodes would close the
    // watchers, and the first of the 10,000, once they had been silent for 60 s on a slow machine
    cluster = ProcessCluster.start(3, "--ping-timeout", "10m");
    vertx = Vertx.vertx();
    // presence diffs of a 10,000-user burst are large frames (up to 500 users each)
    ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(20_000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(16 << 20));
    tokens = new TokenService(vertx, ServerCommand.parse(Map.of()));
    for (int i = 0; i < 3; i++) {
      watchers[i] = new Pushes();
      connect(i, "watch" + i, "admin").register("tutor.presence", watchers[i]::add);
      watchers[i].await("presence.state");
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (vertx != null) TestNode.await(vertx.close());
  }

  private static BridgeClient connect(int node, String user, String role) {
    return TestNode.await(connectAsync(node, user, role));
  }

  private static Future<BridgeClient> connectAsync(int node, String user, String role) {
    return BridgeClient.connect(ws, "127.0.0.1", cluster.nodes.get(node).port(), tokens.issue(user, Role.parse(role)));
  }

  private static Predicate<JsonObject> leaveOf(String user) {
    return p -> "presence.diff".equals(p.getString("type")) && p.getJsonObject("leaves").containsKey(user);
  }

  /** Waits until diffs have carried every one of the users in their joins (or leaves): one diff may carry many. */
  private static void awaitAll(Pushes watcher, String side, Set<String> users) {
    Set<String> remaining = new HashSet<>(users);
    while (!remaining.isEmpty()) {
      JsonObject diff = watcher.await(p -> "presence.diff".equals(p.getString("type"))
          && p.getJsonObject(side).fieldNames().stream().anyMatch(remaining::contains));
      remaining.removeAll(diff.getJsonObject(side).fieldNames());
    }
  }

  private static JsonObject snapshot(int node) {
    Pushes once = new Pushes();
    BridgeClient c = connect(node, "snap" + System.nanoTime(), "admin");
    c.register("tutor.presence", once::add);
    JsonObject state = once.await("presence.state").getJsonObject("presences");
    c.close();
    return state;
  }

  @Test
  @Order(1)
  @DisplayName("joins on each node reach every node; two tabs on two nodes are one user with two metas")
  void convergenceAndTabs() throws InterruptedException {
    BridgeClient a = connect(0, "pc-a", "student");
    connect(1, "pc-b", "teacher");
    BridgeClient tab1 = connect(1, "pc-c", "student");
    BridgeClient tab2 = connect(2, "pc-c", "student");
    for (Pushes w : watchers) awaitAll(w, "joins", Set.of("pc-a", "pc-b"));
    for (int i = 0; i < 3; i++) {
      JsonObject state = awaitState(i, st -> st.containsKey("pc-c") && st.getJsonObject("pc-c").getJsonArray("metas").size() == 2);
      JsonArray metas = state.getJsonObject("pc-c").getJsonArray("metas");
      assertEquals(2, metas.size(), "two tabs on node " + i);
      assertTrue(metas.stream().map(m -> ((JsonObject) m).getString("node")).distinct().count() == 2, "tabs on two nodes");
    }
    TestNode.await(tab1.close());
    for (int i = 0; i < 3; i++) {
      assertEquals(1, snapshotAfterLeave(i, "pc-c"), "closing one tab keeps the user online, node " + i);
    }
    TestNode.await(a.close());
    for (Pushes w : watchers) awaitAll(w, "leaves", Set.of("pc-a"));
    TestNode.await(tab2.close());
  }

  private static int snapshotAfterLeave(int node, String user) {
    watchers[node].await(p -> "presence.diff".equals(p.getString("type"))
        && p.getJsonObject("leaves").containsKey(user) && !p.getJsonObject("joins").containsKey(user));
    JsonObject presence = snapshot(node).getJsonObject(user);
    return presence == null ? 0 : presence.getJsonArray("metas").size();
  }

  @Test
  @Order(2)
  @DisplayName("kill -9 of a node: the others push leaves for its users; restarted, it brings back none of them")
  void killAndRestart() throws Exception {
    List<BridgeClient> onNode2 = new ArrayList<>();
    for (int i = 0; i < 20; i++) onNode2.add(connect(2, "pk-" + i, "student"));
    Set<String> users = new HashSet<>();
    for (int i = 0; i < 20; i++) users.add("pk-" + i);
    for (int w = 0; w < 2; w++) awaitAll(watchers[w], "joins", users);
    cluster.kill(2);
    for (int w = 0; w < 2; w++) awaitAll(watchers[w], "leaves", users);
    cluster.restart(2);
    BridgeClient fresh = connect(2, "pk-new", "student");
    for (int node = 0; node < 3; node++) {
      JsonObject state = awaitState(node, s -> s.containsKey("pk-new"));
      for (int i = 0; i < 20; i++) assertTrue(!state.containsKey("pk-" + i), "zombie pk-" + i + " on node " + node);
    }
    TestNode.await(fresh.close());
    // node 2's watcher died with it: the next test watches the restarted node through a new one
    watchers[2] = new Pushes();
    connect(2, "watch2-restarted", "admin").register("tutor.presence", watchers[2]::add);
    watchers[2].await("presence.state");
  }

  private static JsonObject awaitState(int node, Predicate<JsonObject> ready) {
    JsonObject[] state = {null};
    Awaitility.await("node " + node + "'s presence state").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> ready.test(state[0] = snapshot(node)));
    return state[0];
  }

  @Test
  @Order(3)
  @DisplayName("10,000 presences spread over three nodes: every node counts the same")
  void tenThousand() throws Exception {
    // the count before, once every node agrees on it (the earlier tests' last joins may still be replicating)
    double[] start = new double[3];
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      for (int i = 0; i < 3; i++) start[i] = cluster.gauge(i, "officehours_presence_connections");
      assertTrue(start[0] == start[1] && start[1] == start[2], "nodes agree before: " + java.util.Arrays.toString(start));
    });
    double before = start[0];
    List<Future<BridgeClient>> batch = new ArrayList<>();
    int total = 10_000;
    for (int i = 0; i < total; i++) {
      batch.add(connectAsync(i % 3, "pm-" + i, "student"));
      if (batch.size() == 250) {
        TestNode.await(Future.all(batch));
        batch.clear();
      }
    }
    TestNode.await(Future.all(batch));
    // every node's replica has every one of the 10,000 (pushed to its own subscriber)...
    Set<String> users = new HashSet<>();
    for (int i = 0; i < total; i++) users.add("pm-" + i);
    for (int i = 0; i < 3; i++) awaitAll(watchers[i], "joins", users);
    // ...and the nodes count the same, at least those 10,000 more than before (users of the earlier
    // tests may still be leaving meanwhile, so the exact total is not fixed)
    double[] counts = new double[3];
    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      for (int i = 0; i < 3; i++) counts[i] = cluster.gauge(i, "officehours_presence_connections");
      assertEquals(counts[0], counts[1], "nodes 0 and 1 count the same");
      assertEquals(counts[0], counts[2], "nodes 0 and 2 count the same");
    });
    assertTrue(counts[0] >= total && counts[0] <= before + total, "count " + counts[0] + " after " + before);
  }
}
