package io.officehours.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child process's side of the {@code --procs} protocol. The child writes one JSON object per line
 * on stdout, prefixed with {@value #PREFIX} (anything else there is log noise): {@code ready} once
 * prepared, {@code progress} once a second (cumulative counters and the latency histograms of
 * the last second), {@code done} at the end; its measurements go to {@code result.json} in its
 * {@code --out}. The parent writes {@code go} (start now) and {@code stop} (finish now) on stdin;
 * stdin closing counts as {@code stop}, so a child never outlives its parent for long.
 */
final class ChildLink {
  static final String PREFIX = "@@LT ";

  private final PrintStream out;
  private final CountDownLatch go = new CountDownLatch(1);
  private volatile boolean stop;

  ChildLink(InputStream in, PrintStream out) {
    this.out = out;
    Thread reader = new Thread(() -> read(in), "loadtest-parent-link");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.strip().equals("go")) go.countDown();
        if (line.strip().equals("stop")) break;
      }
    } catch (IOException e) {
      // the parent is gone: stop like on "stop"
    }
    stop = true;
    go.countDown();
  }

  void send(JsonObject message) {
    synchronized (out) {
      out.println(PREFIX + message.encode());
      out.flush();
    }
  }

  /** Waits for {@code go}; false when the parent said stop or nothing came in time. */
  boolean awaitGo(Duration timeout) throws InterruptedException {
    return go.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !stop;
  }

  boolean stopRequested() {
    return stop;
  }
}
