package io.officehours.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A line-oriented console for the raw bridge endpoint: every line typed is sent as one text frame,
 * every frame received is printed, and a ping goes out every 20 s so the server keeps the socket.
 * Usage: {@code WsConsole ws://localhost:8080/eventbus/websocket?token=...}
 */
public final class WsConsole {

  private WsConsole() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: wsclient.sh 'ws://host:port/eventbus/websocket?token=JWT'");
      System.exit(2);
    }
    URI uri = URI.create(args[0]);
    Vertx vertx = Vertx.vertx();
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(uri.getHost())
        .setPort(uri.getPort() > 0 ? uri.getPort() : 80)
        .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    // held until the end: Vert.x closes a client that becomes unreachable, and its sockets with it
    // a presence state of thousands of users is one large frame
    WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions()
        .setMaxFrameSize(16 << 20).setMaxMessageSize(16 << 20));
    WebSocket ws;
    try {
      ws = client.connect(options).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.err.println("connect failed: " + e.getCause());
      vertx.close();
      System.exit(1);
      return;
    }
    System.err.println("connected; type one JSON frame per line, Ctrl-D to quit");
    ws.textMessageHandler(text -> System.out.println("<< " + text));
    ws.binaryMessageHandler(bytes -> System.out.println("<< " + bytes.toString(StandardCharsets.UTF_8)));
    boolean[] quitting = {false};
    ws.closeHandler(v -> {
      if (!quitting[0]) System.err.println("closed by server: " + ws.closeStatusCode() + " " + ws.closeReason());
      vertx.close().onComplete(done -> System.exit(0));
    });
    vertx.setPeriodic(20_000, t -> ws.writeTextMessage("{\"type\":\"ping\"}"));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) ws.writeTextMessage(line.strip());
      }
    }
    quitting[0] = true;
    ws.close().toCompletionStage().toCompletableFuture().get();
    client.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
