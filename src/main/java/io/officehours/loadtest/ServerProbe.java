package io.officehours.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's memory from outside. With {@code --server-pid} (one local node run by the
 * same user) the heap is read with {@code jcmd PID GC.run} (a full collection, so only live
 * objects count) followed by {@code jcmd PID GC.heap_info}. Otherwise the nodes' Prometheus
 * {@code GET /metrics} gives {@code jvm_memory_used_bytes{area="heap"}}: no collection is forced,
 * so that figure includes garbage and is only a rough upper bound.
 */
final class ServerProbe {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private ServerProbe() {}

  /** Live heap bytes after a full GC; throws with the reason when it cannot be read. */
  static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
    run("jcmd", String.valueOf(pid), "GC.run");
    String info = run("jcmd", String.valueOf(pid), "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) throw new IOException("no 'used NK' in jcmd GC.heap_info output: " + info.strip());
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + out.strip());
    return out;
  }

  /** The sum of {@code jvm_memory_used_bytes} over the heap pools in a Prometheus text, or null. */
  static Long heapUsedFromMetrics(String metrics) {
    long sum = 0;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith("jvm_memory_used_bytes{") || !line.contains("area=\"heap\"")) continue;
      String value = line.substring(line.lastIndexOf(' ') + 1).trim();
      try {
        sum += (long) Double.parseDouble(value);
        found = true;
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return found ? sum : null;
  }

  /** The body of {@code GET /metrics} on a target, or null when the node has none. */
  static String metrics(CommonOptions.Target target) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + target.host() + ":" + target.port() + "/metrics"))
              .timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return null;
      String ct = r.headers().firstValue("content-type").orElse("");
      // the static handler answers unknown paths with the web client's page or 404: only real metrics count
      if (ct.contains("text/html")) return null;
      return r.body();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
