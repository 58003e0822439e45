package io.officehours.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.NodeTest;
import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.awaitility.Awaitility;
import java.time.Duration;

@DisplayName("The operators' addresses: the traffic tap and tutor.admin.send, over real sockets")
class AdminConsoleTest extends NodeTest {

  static BridgeError refused(Future<?> request) {
    try {
      Object reply = TestNode.await(request);
      return fail("expected an err frame, got " + reply);
    } catch (BridgeError e) {
      return e;
    }
  }

  static JsonObject adminSend(BridgeClient admin, JsonObject request) {
    return TestNode.await(admin.request(AdminAddresses.SEND, request));
  }

  /** The entries of every tap batch a client receives, flattened, and the batches themselves. */
  static final class TapFeed {
    final Pushes entries = new Pushes();
    private final List<JsonObject> batches = new ArrayList<>();
    private long accounted;
    private long wanted = Long.MAX_VALUE;
    private Promise<Void> reached;

    synchronized void add(JsonObject batch) {
      batches.add(batch);
      for (Object e : batch.getJsonArray("entries")) entries.add((JsonObject) e);
      accounted += batch.getJsonArray("entries").size() + batch.getLong("skipped");
      if (reached != null && accounted >= wanted) reached.tryComplete();
    }

    synchronized List<JsonObject> batches() {
      return List.copyOf(batches);
    }

    /** Completes once the batches from now on have accounted for {@code frames} frames (entries plus skipped). */
    synchronized Future<Void> accountFor(long frames) {
      accounted = 0;
      wanted = frames;
      reached = Promise.promise();
      return reached.future();
    }
  }

  static TapFeed tap(BridgeClient admin) {
    TapFeed feed = new TapFeed();
    admin.register(AdminAddresses.TAP, feed::add, e -> fail("tap refused: " + e.getMessage()));
    return feed;
  }

  /**
   * Sends tutor.me from {@code probe} until the tap shows one: the lease travels asynchronously,
   * so traffic right after the register may pass before the tap is on.
   */
  static JsonObject awaitTapLive(TapFeed feed, BridgeClient probe, String probeUser) {
    Future<JsonObject> seen = feed.entries.next(e -> "tutor.me".equals(e.getString("address"))
        && probeUser.equals(e.getString("user")) && "in".equals(e.getString("direction")));
    Awaitility.await("the tap sees " + probeUser).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          TestNode.await(probe.request("tutor.me", new JsonObject()));
          return seen.isComplete();
        });
    return TestNode.await(seen);
  }

  static Predicate<JsonObject> entry(String direction, String kind, String address) {
    return e -> direction.equals(e.getString("direction")) && kind.equals(e.getString("kind")) && address.equals(e.getString("address"));
  }

  @Test
  @Timeout(20)
  @DisplayName("students and teachers may neither register tutor.admin.tap nor use tutor.admin.send: 403")
  void adminOnly() {
    for (String[] who : new String[][] {{"s1", "student"}, {"t1", "teacher"}}) {
      BridgeClient client = node.connect(who[0], who[1]);
      Promise<BridgeError> refusal = Promise.promise();
      List<JsonObject> leaked = new ArrayList<>();
      client.register(AdminAddresses.TAP, leaked::add, refusal::tryComplete);
      BridgeError err = TestNode.await(refusal.future());
      assertEquals(403, err.code());
      assertTrue(err.getMessage().contains("only admins may register tutor.admin.tap"), err.getMessage());

      BridgeError send = refused(client.request(AdminAddresses.SEND,
          new JsonObject().put("address", "tutor.user." + who[0]).put("publish", true).put("body", new JsonObject().put("type", "notice").put("text", "hi"))));
      assertEquals(403, send.code());
      assertTrue(send.getMessage().contains("only admins may use tutor.admin.send"), send.getMessage());
    }
  }

  @Test
  @Timeout(30)
  @DisplayName("an admin's tap shows a chat's traffic: requests in, replies and pushes out, with node, size and preview")
  void tapShowsAChat() {
    BridgeClient admin = node.connect("ops", "admin");
    TapFeed feed = tap(admin);
    BridgeClient student = node.connect("s1", "student");
    BridgeClient teacher = node.connect("t1", "teacher");
    Pushes studentInbox = new Pushes();
    student.register("tutor.user.s1", studentInbox::add);
    awaitTapLive(feed, student, "s1");

    TestNode.await(student.request("tutor.student.ready", new JsonObject()));
    String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
    TestNode.await(teacher.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "What is 6 x 7?")));
    studentInbox.await("chat.message");

    JsonObject in = feed.entries.await(entry("in", "send", "tutor.chat.send"));
    assertEquals("t1", in.getString("user"));
    assertEquals(node.config.nodeId(), in.getString("node"));
    assertTrue(in.getInteger("size") > 40, "the frame's size: " + in);
    assertTrue(in.getString("preview").contains("What is 6 x 7?"), in.encode());
    assertTrue(in.getLong("ts") > 0);

    JsonObject reply = feed.entries.await(entry("out", "reply", "tutor.chat.send"));
    assertEquals("{\"seq\":1}", reply.getString("preview"));

    JsonObject push = feed.entries.await(entry("out", "push", "tutor.user.s1"));
    assertEquals("s1", push.getString("user"));
    assertEquals(1, push.getInteger("sockets"));
    assertTrue(push.getString("preview").startsWith("{\"type\":\"chat.started\""), push.encode());

    JsonObject claimed = feed.entries.await(entry("out", "reply", "tutor.teacher.claim"));
    assertTrue(claimed.getString("preview").contains(chatId.substring(0, 8)), claimed.encode());

    for (JsonObject batch : feed.batches()) {
      assertEquals("tap", batch.getString("type"));
      assertEquals(node.config.nodeId(), batch.getString("node"));
      for (Object e : batch.getJsonArray("entries")) {
        assertFalse(AdminAddresses.TAP.equals(((JsonObject) e).getString("address")) && "push".equals(((JsonObject) e).getString("kind")),
            "the tap's own batches are never recorded");
        assertTrue(((JsonObject) e).getString("preview").length() <= Tap.PREVIEW_CHARS + 1);
      }
    }
  }

  @Test
  @Timeout(40)
  @DisplayName("a flood is sampled: no batch exceeds the limit, and the frames let through are counted as skipped")
  void tapIsBounded() {
    BridgeClient admin = node.connect("ops", "admin");
    TapFeed feed = tap(admin);
    BridgeClient flooder = node.connect("s1", "student");
    awaitTapLive(feed, flooder, "s1");
    int before = feed.batches().size();

    int n = 800;
    // every frame of the flood, request or reply, is either an entry or counted as skipped
    Future<Void> accounted = feed.accountFor(2L * n);
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) replies.add(flooder.request("tutor.me", new JsonObject()));
    TestNode.await(Future.all(replies));
    TestNode.await(accounted);
    List<JsonObject> after = feed.batches().subList(before, feed.batches().size());
    long skipped = 0;
    for (JsonObject batch : after) {
      assertTrue(batch.getJsonArray("entries").size() <= Tap.LIMIT, "batch over the limit: " + batch.getJsonArray("entries").size());
      assertEquals(Tap.LIMIT, batch.getInteger("limit"));
      skipped += batch.getLong("skipped");
    }
    assertTrue(skipped > 0, "a flood of " + 2 * n + " frames skipped none");
  }

  @Test
  @Timeout(20)
  @DisplayName("a malformed tutor.admin.send is refused with 400 in plain words, and nothing is sent")
  void badRequests() {
    BridgeClient admin = node.connect("ops", "admin");
    JsonObject[] bad = {
        new JsonObject(),
        new JsonObject().put("address", ""),
        new JsonObject().put("address", 42),
        new JsonObject().put("address", "tutor.me").put("headers", "x"),
        new JsonObject().put("address", "tutor.me").put("headers", new JsonObject().put("x-a", 1)),
        new JsonObject().put("address", "tutor.me").put("publish", "yes"),
        new JsonObject().put("address", "tutor.me").put("timeoutMs", 0),
        new JsonObject().put("address", "tutor.me").put("timeoutMs", 1.5),
        new JsonObject().put("address", "tutor.me").put("timeoutMs", AdminSend.MAX_TIMEOUT_MS + 1),
        new JsonObject().put("address", "tutor.user.s1").put("body", new JsonObject()),
        new JsonObject().put("address", "tutor.user.s1").put("publish", true).put("body", "text"),
        new JsonObject().put("address", "tutor.user.s1").put("publish", true).put("body", new JsonObject().put("type", "notice")),
    };
    for (JsonObject request : bad) {
      BridgeError err = refused(admin.request(AdminAddresses.SEND, request));
      assertEquals(400, err.code(), request.encode() + " -> " + err.getMessage());
    }
    assertTrue(refused(admin.request(AdminAddresses.SEND, new JsonObject().put("address", "tutor.user.s1")))
        .getMessage().contains("push address"));
    assertEquals(200, node.get("/health").status(), "the node is fine");
  }

  @Test
  @Timeout(20)
  @DisplayName("identity headers in the form are dropped: a request goes out as the admin, never as the user it names")
  void identityCannotBeForged() {
    BridgeClient admin = node.connect("ops", "admin");
    BridgeClient student = node.connect("s1", "student");
    JsonObject forged = new JsonObject().put("oh-user", "s1").put("OH-Role", "student").put("oh-ref", "x").put("x-trace", "42");

    JsonObject me = adminSend(admin, new JsonObject().put("address", "tutor.me").put("headers", forged));
    assertEquals("ops", me.getJsonObject("reply").getString("userId"));
    assertEquals("admin", me.getJsonObject("reply").getString("role"));
    assertEquals(new JsonArray().add("OH-Role").add("oh-ref").add("oh-user"), me.getJsonArray("droppedHeaders"));

    BridgeError err = refused(admin.request(AdminAddresses.SEND,
        new JsonObject().put("address", "tutor.student.ready").put("headers", forged)));
    assertEquals(403, err.code(), "the roster saw an admin: " + err.getMessage());
    assertNull(TestNode.await(student.request("tutor.me", new JsonObject())).getValue("position"), "s1 was not queued");

    // a consumer of our own sees exactly what arrives: the admin's identity and the other headers
    Promise<io.vertx.core.MultiMap> seen = Promise.promise();
    node.vertx.eventBus().consumer("test.echo", m -> {
      seen.tryComplete(m.headers());
      m.reply(new JsonObject().put("echo", m.body()));
    });
    JsonObject echo = adminSend(admin, new JsonObject().put("address", "test.echo").put("body", new JsonArray().add(1)).put("headers", forged));
    assertEquals(new JsonArray().add(1), echo.getJsonObject("reply").getJsonArray("echo"));
    io.vertx.core.MultiMap headers = TestNode.await(seen.future());
    assertEquals("ops", headers.get("oh-user"));
    assertEquals("admin", headers.get("oh-role"));
    assertEquals(List.of("ops"), headers.getAll("oh-user"));
    assertEquals("42", headers.get("x-trace"));
  }

  @Test
  @Timeout(20)
  @DisplayName("replies come back with their headers; no consumer, a timeout and a refusal are explained")
  void repliesAndFailures() {
    BridgeClient admin = node.connect("ops", "admin");
    node.vertx.eventBus().<Object>consumer("test.reply", m -> m.reply("pong",
        new io.vertx.core.eventbus.DeliveryOptions().addHeader("x-from", "test")));
    node.vertx.eventBus().consumer("test.silent", m -> { });
    node.vertx.eventBus().consumer("test.refuse", m -> m.fail(409, "already done"));
    node.vertx.eventBus().consumer("test.crash", m -> m.fail(500, "boom"));

    JsonObject reply = adminSend(admin, new JsonObject().put("address", "test.reply").put("body", "ping"));
    assertEquals("pong", reply.getString("reply"));
    assertEquals("test", reply.getJsonObject("headers").getString("x-from"));
    assertNotNull(reply.getLong("ms"));

    BridgeError none = refused(admin.request(AdminAddresses.SEND, new JsonObject().put("address", "nobody.listens")));
    assertEquals(404, none.code());
    assertTrue(none.getMessage().contains("nothing consumes nobody.listens (NO_HANDLERS)"), none.getMessage());

    BridgeError slow = refused(admin.request(AdminAddresses.SEND, new JsonObject().put("address", "test.silent").put("timeoutMs", 200)));
    assertEquals(503, slow.code());
    assertTrue(slow.getMessage().contains("no reply from test.silent within 200 ms (TIMEOUT)"), slow.getMessage());

    BridgeError refusal = refused(admin.request(AdminAddresses.SEND, new JsonObject().put("address", "test.refuse")));
    assertEquals(409, refusal.code());
    assertTrue(refusal.getMessage().contains("test.refuse failed with code 409: already done"), refusal.getMessage());

    BridgeError crash = refused(admin.request(AdminAddresses.SEND, new JsonObject().put("address", "test.crash")));
    assertEquals(503, crash.code(), "a code outside the contract becomes 503");
    assertTrue(crash.getMessage().contains("code 500: boom"), crash.getMessage());

    BridgeError history = refused(admin.request(AdminAddresses.SEND,
        new JsonObject().put("address", "tutor.chat.history").put("body", new JsonObject().put("chatId", "nope"))));
    assertEquals(404, history.code());
  }

  @Test
  @Timeout(20)
  @DisplayName("a publish to tutor.user.X reaches X's sockets as a push, a notice signed by the admin; a plain publish reaches its consumers")
  void publishes() {
    BridgeClient admin = node.connect("ops", "admin");
    BridgeClient tab1 = node.connect("s1", "student");
    BridgeClient tab2 = node.connect("s1", "student");
    BridgeClient other = node.connect("s2", "student");
    Pushes one = new Pushes();
    Pushes two = new Pushes();
    List<JsonObject> leaked = new ArrayList<>();
    tab1.register("tutor.user.s1", one::add);
    tab2.register("tutor.user.s1", two::add);
    other.register("tutor.user.s2", leaked::add);
    TestNode.await(tab1.request("tutor.me", new JsonObject()));
    TestNode.await(tab2.request("tutor.me", new JsonObject()));

    JsonObject published = adminSend(admin, new JsonObject().put("address", "tutor.user.s1").put("publish", true)
        .put("body", new JsonObject().put("type", "notice").put("text", "The lab closes at 6.").put("from", "mallory")));
    assertTrue(published.getBoolean("published"));
    for (Pushes p : List.of(one, two)) {
      JsonObject notice = p.await("notice");
      assertEquals("The lab closes at 6.", notice.getString("text"));
      assertEquals("ops", notice.getString("from"), "a notice is signed by its sender, whatever the body said");
    }

    Promise<JsonObject> heard = Promise.promise();
    node.vertx.eventBus().<JsonObject>consumer("test.topic", m -> heard.tryComplete(m.body()
        .put("oh-user", m.headers().get("oh-user"))));
    JsonObject plain = adminSend(admin, new JsonObject().put("address", "test.topic").put("publish", true)
        .put("body", new JsonObject().put("x", 1)).put("headers", new JsonObject().put("oh-user", "s1")));
    assertTrue(plain.getBoolean("published"));
    assertEquals(new JsonObject().put("x", 1).put("oh-user", "ops"), TestNode.await(heard.future()));
    assertEquals(List.of(), leaked, "s2 got nothing");
  }

  @Test
  @Timeout(20)
  @DisplayName("GET /api/cluster tells operators each node's connections and frames per second")
  void clusterTraffic() {
    BridgeClient admin = node.connect("ops", "admin");
    TestNode.await(admin.request("tutor.me", new JsonObject()));
    String token = node.token("ops", "admin");
    JsonObject member = new JsonObject(node.get("/api/cluster?token=" + token).body()).getJsonArray("members").getJsonObject(0);
    assertEquals(node.config.nodeId(), member.getString("name"));
    assertEquals(1, member.getInteger("connections"));
    assertTrue(member.getLong("framesIn") >= 1, member.encode());
    assertTrue(member.getLong("framesOut") >= 1, member.encode());
    assertNotNull(member.getDouble("inPerSec"));
    assertNotNull(member.getDouble("outPerSec"));
  }
}
