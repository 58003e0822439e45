package io.officehours.web;

import static io.officehours.web.Browsers.awaitAttribute;
import static io.officehours.web.Browsers.awaitLines;
import static io.officehours.web.Browsers.awaitOnline;
import static io.officehours.web.Browsers.awaitScript;
import static io.officehours.web.Browsers.script;
import static io.officehours.web.Browsers.signIn;
import static io.officehours.web.Browsers.type;
import static io.officehours.web.Browsers.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.officehours.cluster.Nginx;
import io.officehours.cluster.ProcessCluster;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.awaitility.Awaitility;

/**
 * Two clustered nodes in their own JVMs behind the real nginx of scripts/nginx-conf.sh, a student
 * page and a teacher page chatting through it, and a kill -9 of the node that holds the student's
 * socket: the page says it is reconnecting, comes back through nginx on the surviving node, registers
 * again, resumes from its last line, and the chat goes on with no lost or repeated line on either
 * page. The grace period is longer than failure detection (cluster.xml: 5 s without heartbeat), so
 * the chat outlives the node.
 */
@DisplayName("A node killed under a browser: the pages reconnect through nginx and the chat goes on")
@Timeout(180)
class NodeLossBrowserIT {

  private static final Duration GRACE = Duration.ofSeconds(15);

  private ProcessCluster cluster;
  private Nginx nginx;
  private Vertx vertx;
  private Browsers browsers;

  @BeforeAll
  static void chromiumIsInstalled() {
    Browsers.requireChromium();
  }

  @BeforeEach
  void start(TestInfo info) throws Exception {
    browsers = new Browsers(info.getTestMethod().map(m -> m.getName()).orElse("test"));
    // ProcessCluster.start waits until every node is ready, so nginx never sees a refused first request
    cluster = ProcessCluster.start(2, "--grace", GRACE.toSeconds() + "s");
    nginx = Nginx.start(cluster.nodes.stream().map(p -> "127.0.0.1:" + p.port()).toList());
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (browsers != null) browsers.close();
    if (nginx != null) nginx.close();
    if (vertx != null) TestNode.await(vertx.close());
    if (cluster != null) cluster.close();
  }

  @Test
  @DisplayName("kill -9 of the student's node mid-chat: reconnecting, back through nginx, every line once on both pages")
  void chatSurvivesTheStudentsNode() throws Exception {
    WebDriver student = browsers.open();
    WebDriver teacher = browsers.open();
    browsers.guarded(() -> {
      student.get(nginx.url("/student.html"));
      signIn(student, "noor");
      student.findElement(By.id("join")).click();
      awaitAttribute(student, By.id("queue-state"), "data-position", "1");
      teacher.get(nginx.url("/teacher.html"));
      signIn(teacher, "knuth");
      awaitAttribute(teacher, By.id("waiting"), "data-waiting", "1");
      teacher.findElement(By.id("claim")).click();
      By teacherLog = By.cssSelector(".pane[data-student=noor] .log");
      By teacherInput = By.cssSelector(".pane[data-student=noor] input.compose-text");
      waiting(teacher).until(x -> !x.findElements(teacherInput).isEmpty());
      waiting(student).until(x -> x.findElement(By.id("text")).isDisplayed());

      List<String> expected = new ArrayList<>();
      type(teacher.findElement(teacherInput), "hello noor");
      expected.add("1:hello noor");
      type(student.findElement(By.id("text")), "hi, a question on recursion");
      expected.add("2:hi, a question on recursion");
      awaitLines(student, By.id("log"), expected);
      awaitLines(teacher, teacherLog, expected);

      // the teacher's socket on the other node, so it can write while the student's page is away
      String adminToken = token("ops", "admin");
      Map<String, String> nodeOf = connectionNodes(List.of("noor", "knuth"));
      for (int reload = 0; nodeOf.get("knuth").equals(nodeOf.get("noor")); reload++) {
        assertTrue(reload < 10, "the teacher's page never landed on the other node: " + nodeOf);
        teacher.navigate().refresh();
        awaitOnline(teacher);
        waiting(teacher).until(x -> !x.findElements(teacherInput).isEmpty());
        awaitLines(teacher, teacherLog, expected);
        nodeOf = connectionNodes(List.of("noor", "knuth"));
      }
      int victim = nodeIndex(nodeOf.get("noor"));
      // every state the indicator shows from now on, so a short "reconnecting" is not missed
      script(student, "window.connStates = []; new MutationObserver(() => window.connStates.push("
          + "document.getElementById('conn').dataset.state + ':' + document.getElementById('conn').textContent))"
          + ".observe(document.getElementById('conn'), {attributes: true, childList: true, characterData: true, subtree: true});");

      // a longer first retry than the page's default (0.5 s), so the teacher's next line is surely
      // stored while the student's page is away and can only come back through the resume
      script(student, "window.officeHours.connection.backoff = {min: 4000, max: 4000, jitter: 0};");

      long killedAt = System.nanoTime();
      cluster.kill(victim);
      // a line sent before the survivor has noticed the loss may be forwarded to the dead node and
      // come back "no answer" after the request timeout; the page keeps it for a resend, which is
      // not what this test is about
      awaitMembers(1 - victim, 1, adminToken);
      type(teacher.findElement(teacherInput), "while you were away");
      expected.add("3:while you were away");
      awaitLines(teacher, teacherLog, expected);
      assertEquals(1L, script(student, "return window.officeHours.connection.opens;"),
          "line 3 was stored while the student's page was away");

      awaitReopened(student);
      @SuppressWarnings("unchecked")
      List<String> states = (List<String>) script(student, "return window.connStates;");
      assertTrue(states.contains("reconnecting:Reconnecting…"), "the page said it was reconnecting: " + states);
      assertEquals("online:Connected", states.get(states.size() - 1), "then connected: " + states);

      awaitLines(student, By.id("log"), expected);
      type(student.findElement(By.id("text")), "back, thanks");
      expected.add("4:back, thanks");
      type(teacher.findElement(teacherInput), "so: base case first");
      expected.add("5:so: base case first");
      awaitLines(student, By.id("log"), expected);
      awaitLines(teacher, teacherLog, expected);

      // past the grace period the chat is still open on both pages: nobody was taken for gone
      Duration watch = GRACE.plusSeconds(3).minusNanos(System.nanoTime() - killedAt);
      if (!watch.isNegative()) {
        Browsers.waiting(student, watch.plusSeconds(5)).until(x -> {
          assertEquals("open", x.findElement(By.id("chat-state")).getDomAttribute("data-state"), "student's chat");
          assertEquals("open", teacher.findElement(By.cssSelector(".pane[data-student=noor]")).getDomAttribute("data-state"),
              "teacher's pane");
          return System.nanoTime() - killedAt > GRACE.plusSeconds(3).toNanos();
        });
      }
      type(student.findElement(By.id("text")), "bye");
      expected.add("6:bye");
      awaitLines(student, By.id("log"), expected);
      awaitLines(teacher, teacherLog, expected);
    });
  }

  private String token(String userId, String role) throws Exception {
    return new JsonObject(nginx.post("/api/token", new JsonObject().put("userId", userId).put("role", role).encode()).body())
        .getString("token");
  }

  /** Waits until node {@code index} lists {@code size} members in its /api/cluster. */
  private void awaitMembers(int index, int size, String adminToken) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.nodes.get(index).port() + "/api/cluster"))
        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build();
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      int seen = r.statusCode() == 200 ? new JsonObject(r.body()).getJsonArray("members").size() : -1;
      assertEquals(size, seen, "members node " + index + " lists");
    });
  }

  /** Waits until the page's connection has opened a second time and is online. */
  private static void awaitReopened(WebDriver page) {
    awaitScript(page, "return window.officeHours.connection.opens >= 2 && window.officeHours.connection.open;");
    awaitOnline(page);
  }

  private int nodeIndex(String nodeId) {
    for (ProcessCluster.Proc p : cluster.nodes) if (("p" + p.index()).equals(nodeId)) return p.index();
    throw new AssertionError("no node " + nodeId);
  }

  /**
   * The node of each user's one connection, from the presence metas an admin sees (contract:
   * Meta.node). The admin connects straight to a node, not through nginx, and goes away after.
   */
  private Map<String, String> connectionNodes(List<String> users) throws Exception {
    String token = token("ops", "admin");
    WebSocketClient ws = vertx.createWebSocketClient();
    BridgeClient admin = TestNode.await(BridgeClient.connect(ws, "127.0.0.1", cluster.nodes.get(0).port(), token));
    Map<String, JsonArray> metas = new ConcurrentHashMap<>();
    admin.register("tutor.presence", push -> {
      if ("presence.state".equals(push.getString("type"))) {
        metas.clear();
        push.getJsonObject("presences").forEach(e -> metas.put(e.getKey(), ((JsonObject) e.getValue()).getJsonArray("metas").copy()));
      } else if ("presence.diff".equals(push.getString("type"))) {
        push.getJsonObject("joins").forEach(e -> metas.computeIfAbsent(e.getKey(), k -> new JsonArray())
            .addAll(((JsonObject) e.getValue()).getJsonArray("metas")));
        push.getJsonObject("leaves").forEach(e -> {
          JsonArray left = ((JsonObject) e.getValue()).getJsonArray("metas");
          JsonArray now = metas.getOrDefault(e.getKey(), new JsonArray());
          now.stream().map(JsonObject.class::cast)
              .filter(m -> left.stream().map(JsonObject.class::cast).anyMatch(l -> l.getString("ref").equals(m.getString("ref"))))
              .toList().forEach(now::remove);
        });
      }
    });
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
          assertTrue(users.stream().allMatch(u -> metas.containsKey(u) && metas.get(u).size() == 1),
              "presence of " + users + " not seen: " + metas));
    } finally {
      TestNode.await(admin.close());
      TestNode.await(ws.close());
    }
    Map<String, String> nodes = new java.util.HashMap<>();
    for (String u : users) nodes.put(u, metas.get(u).getJsonObject(0).getString("node"));
    return nodes;
  }
}
