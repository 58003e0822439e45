package io.officehours.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import java.time.Duration;

/**
 * A real redis-server for tests: its own port and data folder, append-only file on, RDB off, as
 * in production. Stopped, killed, paused and resumed by its pid, never by name.
 */
public final class RedisServer implements AutoCloseable {

  private static final String BINARY = System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server");

  static {
    // vertx-redis-client 5.0.10 asserts that a connection is not closed twice, but a reset socket
    // is first failed and then closed: with the -ea of tests every killed Redis would log an
    // AssertionError from the close handler (production runs without -ea and is unaffected). Set
    // before any client connection class is initialized, that is before the first server starts.
    RedisServer.class.getClassLoader().setPackageAssertionStatus("io.vertx.redis.client.impl", false);
  }

  final int port;
  final Path dir;
  private final Process process;
  private boolean paused;

  private RedisServer(int port, Path dir, Process process) {
    this.port = port;
    this.dir = dir;
    this.process = process;
  }

  /** A server on a free port with a new data folder. */
  public static RedisServer start() throws IOException {
    return start(freePort(), Files.createTempDirectory("oh-redis-"));
  }

  /** A server on this port with this data folder: what a restart (with or without its data) looks like. */
  static RedisServer start(int port, Path dir) throws IOException {
    Process process = new ProcessBuilder(List.of(BINARY,
        "--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
        "--appendonly", "yes", "--save", "", "--daemonize", "no",
        "--logfile", dir.resolve("redis.log").toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.out").toFile())
        .start();
    RedisServer server = new RedisServer(port, dir, process);
    server.awaitPong();
    return server;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown, no final AOF rewrite; what the kernel has of the AOF is what survives. */
  void kill() throws InterruptedException {
    resumeIfPaused();
    process.destroyForcibly();
    process.waitFor(5, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the server keeps its sockets but answers nothing, like a hung or partitioned Redis. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
    paused = true;
  }

  void resume() throws IOException, InterruptedException {
    signal("-CONT");
    paused = false;
  }

  /** SIGTERM (SIGKILL when it does not stop in 5 s). */
  @Override
  public void close() {
    if (!process.isAlive()) return;
    try {
      resumeIfPaused();
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void resumeIfPaused() throws InterruptedException {
    if (!paused) return;
    try {
      resume();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
  }

  /** Until the server answers PING with PONG (not LOADING: it may be replaying its AOF). */
  private void awaitPong() {
    Awaitility.await("redis-server on port " + port + " answers PING").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          if (!process.isAlive()) throw new IllegalStateException("redis-server exited: see " + dir.resolve("redis.log"));
          return "+PONG".equals(ping());
        });
  }

  private String ping() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    } catch (IOException notYet) {
      return null; // not listening yet
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
