package io.officehours.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayName("The load generator's pure parts")
class LoadTestUnitTest {

  @Test
  @DisplayName("measurements survive JSON and merge: counts add up, histograms merge, marks take min/max")
  void measurementsMerge() {
    Measurements a = new Measurements();
    a.counters.put("messages", 10L);
    a.errors.put("429", 1L);
    a.firstMarks.put("firstConnect", 1000L);
    a.lastMarks.put("lastChatEnded", 5000L);
    Histogram ha = Measurements.newHistogram();
    for (int i = 1; i <= 100; i++) ha.recordValue(i * 100);
    a.histograms.put("send", ha);
    a.series.put("last", new Measurements.Series(Measurements.Op.MAX, new long[] {0, 5, 9}));
    Measurements b = new Measurements();
    b.counters.put("messages", 5L);
    b.errors.put("429", 2L);
    b.firstMarks.put("firstConnect", 900L);
    b.lastMarks.put("lastChatEnded", 7000L);
    Histogram hb = Measurements.newHistogram();
    hb.recordValue(10_000_000);
    b.histograms.put("send", hb);
    b.series.put("last", new Measurements.Series(Measurements.Op.MAX, new long[] {0, 7, 3}));

    Measurements m = Measurements.fromJson(a.toJson()).merge(Measurements.fromJson(b.toJson()));
    assertEquals(15, m.counter("messages"));
    assertEquals(3, m.errors.get("429"));
    assertEquals(101, m.histogram("send").getTotalCount());
    assertEquals(10_000_000, m.histogram("send").getMaxValue(), 10_000_000 / 1000.0);
    assertEquals(6100, m.spanMillis("firstConnect", "lastChatEnded"));
    assertEquals(List.of(0L, 7L, 9L), java.util.Arrays.stream(m.series.get("last").values()).boxed().toList());
    assertEquals(2, m.processes);
  }

  @Test
  @DisplayName("every seq exactly once and in order is clean; gaps, repeats and reordering are counted")
  void seqTrack() {
    SeqTrack clean = new SeqTrack();
    for (int s = 1; s <= 20; s++) clean.add(s);
    assertEquals(0, clean.missing(20));
    assertEquals(0, clean.duplicates());
    assertEquals(0, clean.outOfOrder());

    SeqTrack bad = new SeqTrack();
    for (long s : new long[] {1, 2, 4, 3, 3, 6}) bad.add(s);
    assertEquals(1, bad.missing(6), "5 never came");
    assertEquals(1, bad.duplicates(), "3 came twice");
    assertEquals(2, bad.outOfOrder(), "3 after 4, twice");
    assertEquals(1, bad.beyond(5), "6 is past a 5-line chat");
  }

  @Test
  @DisplayName("a tutoring run with a lost line or an unfinished chat does not pass")
  void tutoringVerdict() {
    TutoringScenario t = new TutoringScenario();
    new CommandLine(t).parseArgs("--students", "2", "--teachers", "1", "--messages", "3");
    Measurements ok = new Measurements();
    ok.counters.put("chatsEnded", 2L);
    assertTrue(t.summarize(ok, new JsonObject()).getBoolean("passed"));
    Measurements lost = new Measurements();
    lost.counters.put("chatsEnded", 2L);
    lost.counters.put("lost", 1L);
    assertFalse(t.summarize(lost, new JsonObject()).getBoolean("passed"));
    Measurements unfinished = new Measurements();
    unfinished.counters.put("chatsEnded", 1L);
    JsonObject r = t.summarize(unfinished, new JsonObject());
    assertFalse(r.getBoolean("passed"));
    assertEquals(1, r.getJsonObject("correctness").getLong("chatsUnfinished"));
  }

  @Test
  @DisplayName("children get the scenario's arguments without the parent's own")
  void childArgs() {
    List<String> original = List.of("tutoring", "--procs", "3", "--students=10", "--out", "x", "--run-id=abc", "--quiet",
        "--targets", "h:1,h:2");
    assertEquals(List.of("--students=10", "--targets", "h:1,h:2"), Parent.childArgs(original, "tutoring"));
  }

  @Test
  @DisplayName("clients spread over processes, targets and, past --per-source, source addresses")
  void placement() {
    CommonOptions o = new CommonOptions();
    new CommandLine(o).parseArgs("--targets", "a:1,b:2", "--child-index", "1", "--child-count", "3");
    assertEquals(3, o.share(10), "10 = 4 + 3 + 3");
    assertEquals(4, o.share(11), "11 = 4 + 4 + 3");
    assertEquals(1, o.globalIndex(0));
    assertEquals(7, o.globalIndex(2));
    assertTrue(o.userId("s", 4).endsWith("-p1-s4"));
  }

  @Test
  @DisplayName("the heap in use is the sum of the heap pools in a Prometheus scrape")
  void heapFromMetrics() {
    String scrape = String.join("\n",
        "# HELP jvm_memory_used_bytes The amount of used memory",
        "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.6777216E7",
        "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 5289984.0",
        "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9999999.0");
    assertEquals(16_777_216L + 5_289_984L, ServerProbe.heapUsedFromMetrics(scrape));
    assertEquals(null, ServerProbe.heapUsedFromMetrics("officehours_connections 3.0"));
  }

  @Test
  @DisplayName("a report embeds its data and cannot be cut short by a closing script tag in it")
  void reportEscapes() {
    JsonObject result = new JsonObject().put("scenario", "x").put("startedAt", "now").put("notes", "</script><b>");
    String html = Report.html(result);
    assertFalse(html.contains("</script><b>"));
    assertTrue(html.contains("<\\/script><b>"));
  }
}
