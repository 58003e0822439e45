package io.officehours.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The parent of a {@code --procs K} run: starts K child JVMs of the same class path, each running
 * the same scenario with its share of the clients ({@code --child-index i --child-count K}), gives
 * them the start signal together once all are prepared, prints one progress line from their merged
 * progress, tells all to stop once every one is done, and merges their measurements into one
 * result: counts summed, histograms merged, spans from the earliest first mark to the latest last
 * mark. It stops only the processes it started, through their handles.
 */
final class Parent {

  /** Options a child must not inherit: the parent sets its own for each child. */
  private static final Set<String> DROPPED = Set.of("--procs", "--out", "--run-id", "--child-index", "--child-count");
  private static final Set<String> DROPPED_FLAGS = Set.of("--child", "--quiet");

  private final CommonOptions o;
  private final Scenario s;
  private final List<String> originalArgs;

  Parent(CommonOptions o, Scenario s, List<String> originalArgs) {
    this.o = o;
    this.s = s;
    this.originalArgs = originalArgs;
  }

  /** One child process and what it last reported. */
  private static final class Child {
    final int index;
    final Process process;
    final Path dir;
    volatile boolean ready;
    volatile boolean steady;
    volatile boolean selfDone;
    volatile Map<String, Long> counters = Map.of();
    volatile long errors;
    private final Map<String, Histogram> pending = new HashMap<>();
    private final PrintWriter stdin;

    Child(int index, Process process, Path dir) {
      this.index = index;
      this.process = process;
      this.dir = dir;
      this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    void tell(String word) {
      stdin.println(word);
    }

    void closeStdin() {
      try {
        OutputStream os = process.getOutputStream();
        os.close();
      } catch (IOException e) {
        // already gone
      }
    }

    synchronized void addIntervals(JsonObject encoded) {
      for (String k : encoded.fieldNames()) {
        pending.computeIfAbsent(k, n -> Measurements.newHistogram()).add(Measurements.decode(encoded.getString(k)));
      }
    }

    synchronized Map<String, Histogram> drain() {
      Map<String, Histogram> out = new HashMap<>(pending);
      pending.clear();
      return out;
    }

    void readStdout(Path log) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.startsWith(ChildLink.PREFIX)) {
            w.println(line);
            continue;
          }
          JsonObject m = new JsonObject(line.substring(ChildLink.PREFIX.length()));
          switch (m.getString("type")) {
            case "ready" -> ready = true;
            case "progress" -> {
              Map<String, Long> c = new TreeMap<>();
              JsonObject cj = m.getJsonObject("counters");
              for (String k : cj.fieldNames()) c.put(k, cj.getLong(k));
              counters = c;
              errors = m.getLong("errors", 0L);
              steady = m.getBoolean("steady", false);
              selfDone = m.getBoolean("selfDone", false);
              addIntervals(m.getJsonObject("intervals", new JsonObject()));
            }
            default -> { }
          }
        }
      } catch (IOException | RuntimeException e) {
        // the child's output ended badly; its exit code and result file tell the rest
      }
    }
  }

  int run() {
    Path out = Driver.outDir(o, s);
    String runId = o.runId();
    Duration timeout = o.timeout(s.defaultTimeout(o));
    List<String> notes = new ArrayList<>();
    JsonObject server = new JsonObject();
    List<Child> children = new ArrayList<>();
    Timeline timeline = new Timeline();
    boolean timedOut = false;
    String failure = null;
    long startedAt = EpochClock.millis();
    try {
      Files.createDirectories(out);
      ServerSide.before(o, server, notes);
      for (int i = 0; i < o.procs; i++) children.add(spawn(i, out, runId));
      long prepareDeadline = System.nanoTime() + timeout.toNanos();
      while (!children.stream().allMatch(c -> c.ready)) {
        if (children.stream().anyMatch(c -> !c.process.isAlive())) throw new IllegalStateException("a child exited while preparing; see " + out + "/proc-*/stderr.log");
        if (System.nanoTime() > prepareDeadline) throw new IllegalStateException("children not prepared within " + timeout.toSeconds() + " s");
        Thread.sleep(50);
      }
      startedAt = EpochClock.millis();
      children.forEach(c -> c.tell("go"));
      long startNanos = System.nanoTime();
      // the children time out on their own clocks; this one only catches a child that does not
      long deadline = startNanos + timeout.toNanos() + 15_000_000_000L;
      boolean probed = false;
      for (int tick = 1; ; tick++) {
        long sleep = startNanos + tick * 1_000_000_000L - System.nanoTime();
        if (sleep > 0) TimeUnit.NANOSECONDS.sleep(sleep);
        Map<String, Long> counters = new TreeMap<>();
        Map<String, Histogram> intervals = new TreeMap<>();
        long errors = 0;
        for (Child c : children) {
          c.counters.forEach((k, v) -> counters.merge(k, v, Long::sum));
          c.drain().forEach((k, v) -> intervals.computeIfAbsent(k, n -> Measurements.newHistogram()).add(v));
          errors += c.errors;
        }
        double t = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> perSecond = timeline.add(t, counters, errors, intervals);
        Progress.print(o, t, s.progress(counters, perSecond, errors) + "  procs " + children.stream().filter(c -> c.process.isAlive()).count());
        if (!probed && children.stream().allMatch(c -> c.steady)) {
          probed = true;
          ServerSide.after(o, server, notes, counters.getOrDefault("connected", 0L));
        }
        if (children.stream().allMatch(c -> c.selfDone || !c.process.isAlive())) break;
        if (System.nanoTime() > deadline) {
          timedOut = true;
          notes.add("the parent timed out after " + timeout.toSeconds() + " s");
          break;
        }
      }
      Progress.end(o);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (Exception e) {
      failure = e.getMessage();
      System.err.println("loadtest: " + failure);
    }
    Measurements merged = null;
    for (Child c : children) {
      c.tell("stop");
      c.closeStdin();
    }
    long exitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Child c : children) {
      try {
        long left = Math.max(0, exitDeadline - System.nanoTime());
        if (!c.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          notes.add("child " + c.index + " did not exit in time and was killed");
          c.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.process.destroyForcibly();
      }
      Measurements m = readChild(c, notes);
      if (m == null) {
        failure = failure != null ? failure : "child " + c.index + " left no result";
        continue;
      }
      merged = merged == null ? m : merged.merge(m);
    }
    if (merged == null) merged = new Measurements();
    merged.timedOut |= timedOut;
    JsonObject result = Results.build(s, o, merged, timeline.samples(), server, startedAt, notes, failure);
    try {
      Results.write(out, result);
    } catch (IOException e) {
      System.err.println("loadtest: cannot write results to " + out + ": " + e.getMessage());
      return 1;
    }
    Results.printSummary(result, out);
    return result.getBoolean("passed") ? 0 : 1;
  }

  private Measurements readChild(Child c, List<String> notes) {
    Path file = c.dir.resolve("result.json");
    try {
      JsonObject r = new JsonObject(Files.readString(file));
      if (r.getString("failure") != null) notes.add("child " + c.index + ": " + r.getString("failure"));
      r.getJsonArray("notes", new io.vertx.core.json.JsonArray()).forEach(n -> notes.add("child " + c.index + ": " + n));
      return Measurements.fromJson(r.getJsonObject("measurements"));
    } catch (IOException | RuntimeException e) {
      notes.add("child " + c.index + " (exit " + (c.process.isAlive() ? "?" : c.process.exitValue()) + "): no result in " + file);
      return null;
    }
  }

  private Child spawn(int index, Path out, String runId) throws IOException {
    Path dir = out.resolve("proc-" + index);
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    for (String opt : o.childJvmOpts.trim().split("\\s+")) if (!opt.isEmpty()) cmd.add(opt);
    cmd.add("-cp");
    cmd.add(o.childClasspath != null ? o.childClasspath : System.getProperty("java.class.path"));
    cmd.add(LoadTest.class.getName());
    cmd.add(s.name());
    cmd.addAll(childArgs(originalArgs, s.name()));
    cmd.addAll(List.of("--child", "--quiet", "--child-index", String.valueOf(index), "--child-count", String.valueOf(o.procs),
        "--run-id", runId, "--out", dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.log").toFile()).start();
    Child c = new Child(index, p, dir);
    Thread reader = new Thread(() -> c.readStdout(dir.resolve("stdout.log")), "loadtest-child-" + index);
    reader.setDaemon(true);
    reader.start();
    return c;
  }

  /** The scenario's own arguments, less those the parent sets for each child. */
  static List<String> childArgs(List<String> original, String scenario) {
    int start = original.indexOf(scenario) + 1;
    List<String> out = new ArrayList<>();
    for (int i = start; i < original.size(); i++) {
      String a = original.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (DROPPED_FLAGS.contains(a)) continue;
      if (DROPPED.contains(name)) {
        if (!a.contains("=")) i++;
        continue;
      }
      out.add(a);
    }
    return out;
  }

  private static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
