package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.common.Role;
import io.officehours.config.ServerCommand;
import io.officehours.gateway.TokenService;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.awaitility.Awaitility;

/**
 * Three nodes on three "hosts": network namespaces joined by a bridge, each node bound to its own
 * 10.77.x.y address, the cluster formed only through the member list. The test JVM reaches them
 * through a veth of its own on the same bridge. Needs root (scripts/test.sh runs as root in CI).
 */
@DisplayName("Three hosts in network namespaces: cross-node chat, a cut link, and a heal")
@Timeout(300)
class PartitionIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String ID = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
  private static final int NET = ThreadLocalRandom.current().nextInt(10, 250);
  private static final String SWITCH = "oh" + ID + "sw";
  private static final String ROOT_LINK = "ohr" + ID;
  private static final List<Process> nodes = new ArrayList<>();
  private static Vertx vertx;
  private static WebSocketClient ws;
  private static TokenService tokens;

  private static String host(int i) {
    return "oh" + ID + "h" + i;
  }

  private static String address(int i) {
    return "10.77." + NET + "." + i;
  }

  private static void ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + out);
  }

  @BeforeAll
  static void start() throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(root || "true".equals(System.getenv("CI")), "network namespaces need root");
    ip("netns", "add", SWITCH);
    ip("-n", SWITCH, "link", "add", "br0", "type", "bridge");
    ip("-n", SWITCH, "link", "set", "br0", "up");
    for (int i = 1; i <= 3; i++) {
      ip("netns", "add", host(i));
      ip("-n", host(i), "link", "set", "lo", "up");
      ip("-n", host(i), "link", "add", "eth0", "type", "veth", "peer", "name", "p" + ID + i, "netns", SWITCH);
      ip("-n", SWITCH, "link", "set", "p" + ID + i, "master", "br0");
      ip("-n", SWITCH, "link", "set", "p" + ID + i, "up");
      ip("-n", host(i), "addr", "add", address(i) + "/24", "dev", "eth0");
      ip("-n", host(i), "link", "set", "eth0", "up");
    }
    // the test's own way onto the bridge
    ip("link", "add", ROOT_LINK, "type", "veth", "peer", "name", "pr" + ID, "netns", SWITCH);
    ip("-n", SWITCH, "link", "set", "pr" + ID, "master", "br0");
    ip("-n", SWITCH, "link", "set", "pr" + ID, "up");
    ip("addr", "add", address(254) + "/24", "dev", ROOT_LINK);
    ip("link", "set", ROOT_LINK, "up");

    String members = address(1) + ":5701," + address(2) + ":5701," + address(3) + ":5701";
    Path logs = Path.of("target", "process-logs");
    Files.createDirectories(logs);
    for (int i = 1; i <= 3; i++) {
      List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", host(i),
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "--add-modules", "java.se",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.management/sun.management=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), "io.officehours.Main",
          // the same ports on every host: only the addresses tell the nodes apart
          "--host", address(i), "--port", "8080", "--node-id", "h" + i, "--gateways", "1",
          "--cluster", "--cluster-name", "oh-part-" + ID, "--cluster-host", address(i), "--cluster-port", "5701",
          "--cluster-members", members, "--request-timeout", "10s", "--grace", "0s"));
      nodes.add(new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(logs.resolve("partition-" + ID + "-h" + i + ".log").toFile()).start());
      awaitReady(i, 90);
    }
    vertx = Vertx.vertx();
    ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100));
    tokens = new TokenService(vertx, ServerCommand.parse(Map.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : nodes) p.destroy();
    for (Process p : nodes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    if (vertx != null) TestNode.await(vertx.close());
    for (int i = 1; i <= 3; i++) quietly("netns", "del", host(i));
    quietly("netns", "del", SWITCH);
    quietly("link", "del", ROOT_LINK);
  }

  private static void quietly(String... args) {
    try {
      ip(args);
    } catch (Exception ignored) {
      // already gone
    }
  }

  private static HttpResponse<String> get(int node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address(node) + ":8080" + path))
        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitReady(int node, int seconds) {
    Awaitility.await("h" + node + " ready").atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(300))
        .until(() -> {
          try {
            return get(node, "/ready").statusCode() == 200;
          } catch (IOException notYet) {
            return false; // starting
          }
        });
  }

  /** Waits until node sees {@code count} members in /api/cluster. */
  private static void awaitMembers(int node, int count, int seconds) {
    String admin = tokens.issue("part-admin", Role.ADMIN);
    String[] last = {""};
    Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      int seen;
      try {
        last[0] = get(node, "/api/cluster?token=" + admin).body();
        seen = new JsonObject(last[0]).getJsonArray("members").size();
      } catch (IOException | RuntimeException notYet) {
        seen = -1; // cut off or busy
      }
      assertEquals(count, seen, "members seen by h" + node + ": " + last[0]);
    });
  }

  /** Host {@code node}'s presence list, asked again until it matches (replicas converge after a heal). */
  private static JsonObject presenceOn(int node, java.util.function.Predicate<JsonObject> match) {
    JsonObject[] presences = {new JsonObject()};
    try {
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
        BridgeClient admin = connect(node, "p-admin" + System.nanoTime(), "admin");
        Pushes once = new Pushes();
        admin.register("tutor.presence", once::add);
        presences[0] = once.await("presence.state").getJsonObject("presences");
        TestNode.await(admin.close());
        return match.test(presences[0]);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // the caller's assertions say what was missing
    }
    return presences[0];
  }

  private static BridgeClient connect(int node, String user, String role) {
    return TestNode.await(BridgeClient.connect(ws, address(node), 8080, tokens.issue(user, Role.parse(role))));
  }

  @Test
  void partitionAndHeal() throws Exception {
    BridgeClient teacher = connect(1, "p-t", "teacher");
    Pushes teacherInbox = new Pushes();
    Pushes status = new Pushes();
    Pushes presence = new Pushes();
    teacher.register("tutor.user.p-t", teacherInbox::add);
    teacher.register("tutor.status", status::add);
    teacher.register("tutor.presence", presence::add);

    // a cross-node chat: student on host 2, teacher on host 1
    BridgeClient s2 = connect(2, "p-s2", "student");
    Pushes s2Inbox = new Pushes();
    s2.register("tutor.user.p-s2", s2Inbox::add);
    TestNode.await(s2.request("tutor.student.ready", new JsonObject()));
    String chat = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
    TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chat).put("text", "hello")));
    TestNode.await(s2.request("tutor.chat.send", new JsonObject().put("chatId", chat).put("text", "hi")));
    assertEquals(1, s2Inbox.await("chat.message").getLong("seq"));
    assertEquals(2, s2Inbox.await("chat.message").getLong("seq"));
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chat)));

    // a student waiting on host 3, then host 3's link is cut
    BridgeClient s3 = connect(3, "p-s3", "student");
    status.clear();
    TestNode.await(s3.request("tutor.student.ready", new JsonObject()));
    status.await(s -> s.getInteger("waiting") == 1);
    status.clear();
    ip("-n", host(3), "link", "set", "eth0", "down");

    // the others drop host 3: its student leaves presence and the queue
    presence.await(p -> "presence.diff".equals(p.getString("type")) && p.getJsonObject("leaves").containsKey("p-s3"));
    status.await(s -> s.getInteger("waiting") == 0);
    awaitMembers(1, 2, 30);
    assertNull(TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getValue("chat"));

    // and keep serving
    BridgeClient s4 = connect(2, "p-s4", "student");
    TestNode.await(s4.request("tutor.student.ready", new JsonObject()));
    JsonObject claimed = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
    assertEquals("p-s4", claimed.getString("studentId"));
    TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", claimed.getString("chatId"))));

    // heal: host 3 rejoins and serves
    ip("-n", host(3), "link", "set", "eth0", "up");
    awaitMembers(1, 3, 90);
    awaitMembers(3, 3, 30);
    awaitReady(3, 60);
    // presence converges: host 3 has host 1's teacher back, host 1 has host 3's student back (its
    // socket outlived the cut), and nobody twice
    // host 3's student kept its socket through the cut (it lost its queue place on the bigger side)
    assertEquals("p-s3", TestNode.await(s3.request("tutor.me", new JsonObject())).getString("userId"));
    JsonObject onHost3 = presenceOn(3, p -> p.containsKey("p-t") && p.containsKey("p-s3"));
    assertTrue(onHost3.containsKey("p-t") && onHost3.containsKey("p-s3"), "host 3 lists " + onHost3.fieldNames());
    JsonObject onHost1 = presenceOn(1, p -> p.containsKey("p-s3"));
    assertTrue(onHost1.containsKey("p-s3"), "host 1 lists " + onHost1.fieldNames());
    assertEquals(1, onHost1.getJsonObject("p-s3").getJsonArray("metas").size());
    assertEquals(1, onHost3.getJsonObject("p-t").getJsonArray("metas").size());
    BridgeClient s5 = connect(3, "p-s5", "student");
    Pushes s5Inbox = new Pushes();
    s5.register("tutor.user.p-s5", s5Inbox::add);
    TestNode.await(s5.request("tutor.student.ready", new JsonObject()));
    JsonObject again = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
    assertTrue(again != null && "p-s5".equals(again.getString("studentId")), "claimed " + again);
    // pushes cross the healed link both ways: host 1's teacher to host 3's student and back
    String healed = again.getString("chatId");
    assertEquals(healed, s5Inbox.await("chat.started").getJsonObject("chat").getString("chatId"));
    TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", healed).put("text", "welcome back")));
    assertEquals("welcome back", s5Inbox.await("chat.message").getString("text"));
    TestNode.await(s5.request("tutor.chat.send", new JsonObject().put("chatId", healed).put("text", "thanks")));
    teacherInbox.clear();
    TestNode.await(s5.request("tutor.chat.send", new JsonObject().put("chatId", healed).put("text", "still here")));
    assertEquals("still here", teacherInbox.await(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == 3).getString("text"));
  }
}
