package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three clustered nodes behind a real nginx, configured by scripts/nginx-conf.sh exactly as
 * scripts/cluster.sh does: plain round-robin, no sticky sessions.
 */
@DisplayName("Behind nginx round-robin with no sticky sessions")
@Timeout(180)
class LoadBalancerIT {

  private static TestCluster cluster;
  private static Nginx nginx;
  private static Vertx vertx;
  private static WebSocketClient ws;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(3);
    nginx = Nginx.start(cluster.members.stream().map(m -> "127.0.0.1:" + m.port()).toList());
    vertx = Vertx.vertx();
    ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) nginx.close();
    if (vertx != null) TestNode.await(vertx.close());
    if (cluster != null) cluster.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return nginx.get(path);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return nginx.post(path, body);
  }

  private static BridgeClient connect(String user, String role) throws Exception {
    String token = new JsonObject(post("/api/token", new JsonObject().put("userId", user).put("role", role).encode()).body())
        .getString("token");
    return TestNode.await(BridgeClient.connect(ws, "127.0.0.1", nginx.port, token));
  }

  @Test
  @Timeout(60)
  @DisplayName("requests spread over every node, and 12 students with 2 teachers chat to the end through it")
  void flowThroughNginx() throws Exception {
    Set<String> nodes = new HashSet<>();
    for (int i = 0; i < 6; i++) nodes.add(new JsonObject(get("/health").body()).getString("node"));
    assertEquals(3, nodes.size(), "round-robin reaches all three nodes: " + nodes);

    int students = 12;
    List<Pushes> inboxes = new ArrayList<>();
    List<BridgeClient> clients = new ArrayList<>();
    for (int i = 0; i < students; i++) {
      String id = "lb-s" + i;
      BridgeClient s = connect(id, "student");
      Pushes inbox = new Pushes();
      s.register("tutor.user." + id, push -> {
        inbox.add(push);
        if ("chat.message".equals(push.getString("type")) && !id.equals(push.getString("from"))) {
          s.request("tutor.chat.send", new JsonObject().put("chatId", push.getString("chatId")).put("text", "re " + push.getLong("seq")));
        }
      });
      clients.add(s);
      inboxes.add(inbox);
      assertEquals(i + 1, TestNode.await(s.request("tutor.student.ready", new JsonObject())).getInteger("position"));
    }
    BridgeClient[] teachers = {connect("lb-t0", "teacher"), connect("lb-t1", "teacher")};
    int served = 0;
    while (served < students) {
      BridgeClient teacher = teachers[served % 2];
      JsonObject chat = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
      String chatId = chat.getString("chatId");
      int student = Integer.parseInt(chat.getString("studentId").substring(4));
      assertEquals(served, student, "FIFO through the load balancer");
      Pushes inbox = inboxes.get(student);
      for (int line = 0; line < 3; line++) {
        TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "q" + line)));
        inbox.await(p -> "chat.message".equals(p.getString("type")) && p.getString("from").startsWith("lb-s"));
      }
      TestNode.await(teacher.request("tutor.chat.end", new JsonObject().put("chatId", chatId)));
      inbox.await("chat.ended");
      List<Long> seqs = inbox.all().stream().filter(p -> "chat.message".equals(p.getString("type")))
          .map(p -> p.getLong("seq")).toList();
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs, "every line once, in order, for " + chat.getString("studentId"));
      served++;
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("a SockJS xhr-polling session works through the balancer: its polls and sends reach the node that holds it")
  void xhrPollingThroughNginx() throws Exception {
    String token = new JsonObject(post("/api/token", new JsonObject().put("userId", "lb-xhr").put("role", "student").encode()).body())
        .getString("token");
    for (int session = 0; session < 3; session++) {
      String base = "/eventbus/" + (100 + session) + "/sess" + System.nanoTime() + "/";
      String q = "?token=" + token;
      assertEquals("o\n", post(base + "xhr" + q, "").body(), "open frame");
      // several sends and polls: with round-robin alone, they would land on nodes that do not know the session
      for (int i = 0; i < 4; i++) {
        String frame = new JsonObject().put("type", "send").put("address", "tutor.me").put("body", new JsonObject())
            .put("replyAddress", "r" + i).encode();
        HttpResponse<String> sent = post(base + "xhr_send" + q, new JsonArray().add(frame).encode());
        assertEquals(204, sent.statusCode(), "xhr_send: " + sent.body());
        String reply = pollUntil(base + "xhr" + q, "\\\"r" + i + "\\\"");
        assertTrue(reply.contains("lb-xhr"), reply);
      }
    }
  }

  private static String pollUntil(String path, String needle) throws Exception {
    for (int i = 0; i < 10; i++) {
      String body = post(path, "").body();
      if (body.contains(needle)) return body;
    }
    throw new AssertionError("no frame with " + needle);
  }
}
