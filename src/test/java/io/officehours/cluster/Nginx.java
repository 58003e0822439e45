package io.officehours.cluster;

import io.officehours.TestNode;
import java.io.File;
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
import org.awaitility.Awaitility;

/**
 * A real nginx in front of some nodes, configured by scripts/nginx-conf.sh exactly as
 * scripts/cluster.sh does, running in a temp folder and stopped by its own process. Start the
 * backends and wait until they answer first: nginx marks an upstream that refuses its first
 * request failed for a while.
 */
public final class Nginx implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  public final int port;
  public final Path dir;
  private final Process process;

  private Nginx(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  /** Starts nginx on a free port over {@code backends} ("host:port") and waits until it answers /health. */
  public static Nginx start(List<String> backends) throws Exception {
    if (!new File("/usr/sbin/nginx").canExecute() && !new File("/usr/bin/nginx").canExecute()) {
      throw new IllegalStateException("nginx is needed (scripts/test.sh installs it)");
    }
    int port = TestNode.freePort();
    Path dir = Files.createTempDirectory("oh-nginx");
    List<String> command = new ArrayList<>(List.of("scripts/nginx-conf.sh", dir.resolve("nginx.conf").toString(),
        dir.toString(), String.valueOf(port)));
    command.addAll(backends);
    int written = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (written != 0) throw new IllegalStateException("scripts/nginx-conf.sh exited with " + written);
    Process process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    Nginx nginx = new Nginx(port, dir, process);
    try {
      nginx.awaitHealthy();
    } catch (Exception e) {
      nginx.close();
      throw e;
    }
    return nginx;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void awaitHealthy() {
    Awaitility.await("nginx answers (see " + dir.resolve("error.log") + ")").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!process.isAlive()) throw new IllegalStateException("nginx exited; see " + dir.resolve("error.log"));
          try {
            return get("/health").statusCode() == 200;
          } catch (IOException notYet) {
            return false; // still starting
          }
        });
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
