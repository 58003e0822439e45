package io.officehours;

import io.officehours.config.Config;
import io.officehours.config.ServerCommand;
import io.officehours.ops.NodeMetrics;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node on a free loopback port, in its own Vert.x with a strict blocked-thread checker,
 * plus the clients tests need: HTTP for tokens and real WebSocket bridge clients.
 */
public final class TestNode implements AutoCloseable {

  public final Vertx vertx;
  public final Config config;
  /** Ids of the node's verticles: a test can undeploy one to see the others cope. */
  public final Node.Deployment deployment;
  public final int port;
  public final HttpClient http;
  private static final java.net.http.HttpClient JDK_HTTP = java.net.http.HttpClient.newHttpClient();
  public final WebSocketClient ws;
  private final List<BridgeClient> clients = new ArrayList<>();

  private TestNode(Vertx vertx, Config config, Node.Deployment deployment) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.config = config;
    this.port = config.port();
    this.http = vertx.createHttpClient();
    // Vert.x allows 50 WebSockets per server by default and queues the rest: tests open many more
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
  }

  /** Starts a node with the given extra command-line flags (dev mode on, free port). */
  public static TestNode start(String... flags) {
    System.setProperty("officehours.node", "test");
    // no grace unless a test asks for one: a closed socket's user leaves at once, so tests need not wait
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(freePort()), "--host", "127.0.0.1", "--grace", "0s"));
    args.addAll(List.of(flags));
    Config config = ServerCommand.parse(Map.of(), args.toArray(String[]::new));
    // the node's own options (Prometheus metrics as in production), with a stricter blocked-thread check
    Vertx vertx = Vertx.vertx(NodeMetrics.vertxOptions(config)
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    Node.Deployment deployment = await(Node.deploy(vertx, config));
    return new TestNode(vertx, config, deployment);
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A dev token from {@code POST /api/token}, over real HTTP. */
  public String token(String userId, String role) {
    HttpResponse r = post("/api/token", new JsonObject().put("userId", userId).put("role", role).encode());
    if (r.status() != 200) throw new IllegalStateException("token refused: " + r.status() + " " + r.body());
    return new JsonObject(r.body()).getString("token");
  }

  public BridgeClient connect(String userId, String role) {
    return connectWithToken(token(userId, role));
  }

  public BridgeClient connectWithToken(String token) {
    BridgeClient client = await(BridgeClient.connect(ws, "127.0.0.1", port, token));
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  public record HttpResponse(int status, String body) {}

  public HttpResponse get(String uri) {
    return request(HttpMethod.GET, uri, null);
  }

  public HttpResponse post(String uri, String body) {
    return request(HttpMethod.POST, uri, body);
  }

  /** Plain HTTP through the JDK's client: an independent real client, not the server's own stack. */
  public HttpResponse request(HttpMethod method, String uri, String body) {
    try {
      java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
          .timeout(Duration.ofSeconds(10))
          .method(method.name(), body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
          .build();
      java.net.http.HttpResponse<String> response = JDK_HTTP.send(request, BodyHandlers.ofString());
      return new HttpResponse(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Future<HttpClientResponse> raw(HttpMethod method, String uri) {
    return http.request(method, port, "127.0.0.1", uri).compose(req -> req.send());
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
