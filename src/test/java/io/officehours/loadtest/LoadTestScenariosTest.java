package io.officehours.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small runs of every scenario against a real node started by the test. The scenarios run in this
 * JVM through the same entry point as the command line; the {@code --procs} run starts real child
 * JVMs on this test's class path.
 */
@DisplayName("The load generator against one real node")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadTestScenariosTest {

  private TestNode node;

  @BeforeAll
  void start() {
    node = TestNode.start();
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private String target() {
    return "127.0.0.1:" + node.port;
  }

  private JsonObject run(Path out, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--targets", target(), "--out", out.toString(), "--quiet", "--warmup", "5", "--timeout", "40s"));
    int exit = LoadTest.run(all.toArray(String[]::new));
    JsonObject result = new JsonObject(Files.readString(out.resolve("result.json")));
    assertEquals(result.getBoolean("passed") ? 0 : 1, exit, "exit code follows 'passed': " + result.getJsonObject("summary"));
    return result;
  }

  private static void assertLatency(JsonObject result, String name) {
    JsonObject l = result.getJsonObject("latency").getJsonObject(name);
    assertNotNull(l, "latency." + name);
    assertTrue(l.getLong("count") > 0, name + " has values");
    for (String p : List.of("p50", "p90", "p99", "max")) {
      assertNotNull(l.getDouble(p), name + "." + p);
    }
    assertTrue(l.getDouble("p50") <= l.getDouble("p99") && l.getDouble("p99") <= l.getDouble("max"), name + " percentiles ordered");
  }

  private static void assertCommonShape(JsonObject result, Path out) throws IOException {
    for (String field : List.of("scenario", "runId", "startedAt", "targets", "procs", "params", "passed", "summary", "latency",
        "errors", "counts", "server", "definitions", "timeline", "histograms", "notes")) {
      assertTrue(result.containsKey(field), "result has " + field);
    }
    assertFalse(result.getJsonArray("timeline").isEmpty(), "sampled at least once");
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<svg") || html.contains("svg:svg"), "the report draws SVG");
    assertFalse(html.contains("http://") && html.contains("<script src"), "no external scripts");
    assertFalse(html.contains("__DATA__"), "the data is in the page");
  }

  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  @DisplayName("tutoring: 50 students and 2 teachers finish every chat with no line lost, duplicated or out of order")
  void tutoring(@TempDir Path out) throws IOException {
    JsonObject r = run(out, "tutoring", "--students", "50", "--teachers", "2", "--messages", "10");
    assertCommonShape(r, out);
    assertTrue(r.getBoolean("passed"), r.encodePrettily());
    JsonObject s = r.getJsonObject("summary");
    JsonObject c = r.getJsonObject("correctness");
    assertEquals(50, s.getLong("chats"));
    assertEquals(50L * 2 * 10, s.getLong("messages"), "each chat has 2 x messages lines");
    assertTrue(s.getLong("wallTimeMs") > 0);
    assertTrue(s.getLong("messagesPerSecond") > 0);
    assertEquals(0, c.getLong("lost"));
    assertEquals(0, c.getLong("duplicated"));
    assertEquals(0, c.getLong("outOfOrder"));
    assertEquals(0, c.getLong("chatsUnfinished"));
    assertEquals(100, c.getLong("chatsVerified"), "both participants of every chat checked");
    for (String h : List.of("send", "roundTrip", "ack", "connect")) assertLatency(r, h);
    assertTrue(r.getJsonObject("errors").isEmpty(), "no errors: " + r.getJsonObject("errors"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("idle: 100 registered connections are held, pinged, and the server heap is read with jcmd")
  void idle(@TempDir Path out) throws IOException {
    JsonObject r = run(out, "idle", "--connections", "100", "--rate", "500", "--duration", "2s",
        "--server-pid", String.valueOf(ProcessHandle.current().pid()), "--ping-interval", "1s");
    assertCommonShape(r, out);
    assertTrue(r.getBoolean("passed"), r.encodePrettily());
    JsonObject s = r.getJsonObject("summary");
    assertEquals(100, s.getLong("registered"));
    assertEquals(100, s.getLong("heldAtEnd"));
    assertEquals(0, s.getLong("failures"));
    assertTrue(s.getLong("connectRatePerSecond") > 0);
    assertTrue(s.getLong("pings") >= 100, "every socket pinged at least once: " + s.getLong("pings"));
    assertTrue(s.containsKey("serverHeapPerConnectionBytes"));
    assertNotNull(r.getJsonObject("server").getLong("heapUsedAfterBytes"), "jcmd read the heap: " + r.getJsonArray("notes"));
    assertLatency(r, "registered");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("broadcast: every status change reaches all 50 subscribers, with the time to the last one")
  void broadcast(@TempDir Path out) throws IOException {
    JsonObject r = run(out, "broadcast", "--subscribers", "50", "--messages", "5", "--interval", "150");
    assertCommonShape(r, out);
    assertTrue(r.getBoolean("passed"), r.encodePrettily());
    JsonObject s = r.getJsonObject("summary");
    assertEquals(5, s.getLong("triggers"));
    assertEquals(5, s.getLong("triggersFullyDelivered"));
    assertEquals(0, s.getLong("missingDeliveries"));
    assertEquals(250, s.getLong("deliveries"));
    assertNotNull(s.getDouble("lastSubscriberP50Ms"));
    assertLatency(r, "lastSubscriber");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("broadcast with admin subscribers opened at a rate: every change reaches all 40")
  void broadcastAdminsAtARate(@TempDir Path out) throws IOException {
    JsonObject r = run(out, "broadcast", "--subscribers", "40", "--subscriber-role", "admin", "--rate", "200",
        "--messages", "3", "--interval", "150");
    assertTrue(r.getBoolean("passed"), r.encodePrettily());
    assertEquals("admin", r.getJsonObject("params").getString("subscriberRole"));
    JsonObject s = r.getJsonObject("summary");
    assertEquals(3, s.getLong("triggersFullyDelivered"));
    assertEquals(120, s.getLong("deliveries"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  @DisplayName("arrival: 200 connections at once all get connected and registered")
  void arrival(@TempDir Path out) throws IOException {
    JsonObject r = run(out, "arrival", "--connections", "200");
    assertCommonShape(r, out);
    assertTrue(r.getBoolean("passed"), r.encodePrettily());
    assertEquals(200, r.getJsonObject("summary").getLong("registered"));
    assertLatency(r, "arrival");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName("--procs 2: two child JVMs split the students and the parent adds their counts and histograms up")
  void twoProcesses(@TempDir Path out) throws IOException {
    JsonObject r = run(out, "tutoring", "--students", "40", "--teachers", "2", "--messages", "5", "--procs", "2",
        "--child-jvm-opts", "-Xmx256m -XX:TieredStopAtLevel=1");
    assertTrue(r.getBoolean("passed"), r.encodePrettily());
    assertEquals(2, r.getInteger("procs"));
    assertEquals(40, r.getJsonObject("summary").getLong("chats"), "total chats = students");
    long sendCount = 0;
    long messages = 0;
    for (int i = 0; i < 2; i++) {
      Measurements child = Measurements.fromJson(
          new JsonObject(Files.readString(out.resolve("proc-" + i).resolve("result.json"))).getJsonObject("measurements"));
      assertTrue(child.counter("connects") > 0, "child " + i + " connected clients");
      sendCount += child.histogram("send").getTotalCount();
      messages += child.counter("messages");
    }
    assertEquals(sendCount, Measurements.decode(r.getJsonObject("histograms").getString("send")).getTotalCount(),
        "merged histogram count = sum of the children's");
    assertEquals(sendCount, r.getJsonObject("latency").getJsonObject("send").getLong("count"));
    assertEquals(messages, r.getJsonObject("summary").getLong("messages"));
    assertEquals(40L * 2 * 5, messages);
  }
}
