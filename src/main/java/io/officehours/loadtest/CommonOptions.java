package io.officehours.loadtest;

import io.officehours.config.ServerCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** Options every scenario takes (a picocli mixin). */
final class CommonOptions {

  @Option(names = "--targets", split = ",", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
      description = "Nodes to connect to; clients are spread round-robin (default: ${DEFAULT-VALUE})")
  List<String> targets;

  @Option(names = "--procs", defaultValue = "1",
      description = "Split the clients over this many child JVMs (one holds ~19,000 sockets at most) (default: ${DEFAULT-VALUE})")
  int procs;

  @Option(names = "--duration", defaultValue = "60s", converter = ServerCommand.DurationConverter.class,
      description = "How long idle connections are held (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--timeout", converter = ServerCommand.DurationConverter.class,
      description = "Give up after this long from the start signal (default: 120s; idle: --duration + 120s)")
  Duration timeout;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for result.json and report.html (default: results/<scenario>-<time>)")
  Path out;

  @Option(names = "--jwt-secret",
      description = "Sign tokens locally with this HS256 key instead of asking POST /api/token")
  String jwtSecret;

  @Option(names = "--token-concurrency", defaultValue = "16",
      description = "Token requests in flight when tokens come from POST /api/token (default: ${DEFAULT-VALUE})")
  int tokenConcurrency;

  @Option(names = "--source-addresses", split = ",", paramLabel = "IP",
      description = "Local addresses to connect from, in turn; without it 127.0.0.2, 127.0.0.3, ... are used "
          + "only when more than --per-source connections go to one target")
  List<String> sourceAddresses = new ArrayList<>();

  @Option(names = "--per-source", defaultValue = "20000",
      description = "Connections from one source address to one target before the next address is used (default: ${DEFAULT-VALUE})")
  int perSource;

  @Option(names = "--connect-timeout", defaultValue = "30s", converter = ServerCommand.DurationConverter.class,
      description = "A connection not upgraded by then counts as failed (default: ${DEFAULT-VALUE})")
  Duration connectTimeout;

  @Option(names = "--ping-interval", defaultValue = "25s", converter = ServerCommand.DurationConverter.class,
      description = "Every socket pings this often (default: ${DEFAULT-VALUE})")
  Duration pingInterval;

  @Option(names = "--client-rate", defaultValue = "95",
      description = "Frames per second one socket sends at most, 0 for no limit; the server refuses above "
          + "its --rate (100 by default) with 429 (default: ${DEFAULT-VALUE})")
  int clientRate;

  @Option(names = "--server-pid", description = "PID of the (single, local) server: its heap is read with jcmd before and after")
  Long serverPid;

  @Option(names = "--child-jvm-opts", defaultValue = "-Xms256m -Xmx1g -XX:+UseG1GC",
      description = "JVM flags of each child process with --procs (default: ${DEFAULT-VALUE})")
  String childJvmOpts;

  @Option(names = "--child-classpath", description = "Class path of the child processes (default: this JVM's)")
  String childClasspath;

  @Option(names = "--run-id", description = "Prefix of every user id of this run (default: random)")
  String runId;

  @Option(names = "--warmup", defaultValue = "200",
      description = "Connections opened and closed before the clock, so the generator is warm (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--quiet", description = "No progress line")
  boolean quiet;

  @Option(names = "--child-index", hidden = true, defaultValue = "0")
  int childIndex;

  @Option(names = "--child-count", hidden = true, defaultValue = "1")
  int childCount;

  @Option(names = "--child", hidden = true, description = "Run as a child of a --procs parent (protocol on stdin/stdout)")
  boolean child;

  void validate() {
    if (procs < 1) throw new IllegalArgumentException("--procs must be at least 1");
    if (targets.isEmpty()) throw new IllegalArgumentException("--targets names no node");
    targets(); // throws on a target that is not host:port
    if (perSource < 1) throw new IllegalArgumentException("--per-source must be at least 1");
    if (childCount < 1 || childIndex < 0 || childIndex >= childCount) throw new IllegalArgumentException("bad child index");
  }

  String runId() {
    if (runId == null) runId = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    return runId;
  }

  record Target(String host, int port) {
    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (String t : targets) {
      int colon = t.lastIndexOf(':');
      if (colon <= 0) throw new IllegalArgumentException("target must be host:port: " + t);
      try {
        out.add(new Target(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1))));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("target must be host:port: " + t);
      }
    }
    return out;
  }

  Duration timeout(Duration fallback) {
    return timeout != null ? timeout : fallback;
  }

  /** This process's share of {@code total}, when it is process {@code childIndex} of {@code childCount}. */
  int share(int total) {
    return total / childCount + (childIndex < total % childCount ? 1 : 0);
  }

  /** The global index of this process's {@code local}-th client: interleaved, so targets and sources stay balanced. */
  int globalIndex(int local) {
    return childIndex + local * childCount;
  }

  /** User ids are unique per run and per process: {@code lt<run>-p<index>-<kind><n>}. */
  String userId(String kind, int n) {
    return "lt" + runId() + "-p" + childIndex + "-" + kind + n;
  }
}
