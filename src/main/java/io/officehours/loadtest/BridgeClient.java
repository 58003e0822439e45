package io.officehours.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Future-based client of the bridge over the raw WebSocket endpoint: requests with replies,
 * registrations with push handlers, and raw frames for testing bad input. Used by the tests and
 * the load generator. Its state is touched only on the socket's event loop: calls from other
 * threads (a test's main thread) hop onto it.
 */
public final class BridgeClient {

  private final WebSocket ws;
  private final Context context;
  private final Map<String, Promise<JsonObject>> pending = new HashMap<>();
  private final Map<String, List<Handler<JsonObject>>> handlers = new HashMap<>();
  private final Map<String, Handler<BridgeError>> registerErrors = new HashMap<>();
  private final List<JsonObject> unaddressedErrors = new CopyOnWriteArrayList<>();
  private final Promise<Void> closed = Promise.promise();
  private volatile Handler<JsonObject> errorHandler = e -> { };
  private long nextReply;

  private BridgeClient(WebSocket ws) {
    this.ws = ws;
    this.context = Vertx.currentContext();
    ws.textMessageHandler(text -> onFrame(new JsonObject(text)));
    ws.binaryMessageHandler(buffer -> onFrame(buffer.toJsonObject()));
    ws.closeHandler(v -> {
      closed.tryComplete();
      pending.values().forEach(p -> p.tryFail(new BridgeError(0, "socket closed")));
      pending.clear();
    });
  }

  /** Connects to {@code /eventbus/websocket?token=...}. */
  public static Future<BridgeClient> connect(WebSocketClient client, String host, int port, String token) {
    String uri = "/eventbus/websocket" + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(uri)).map(BridgeClient::new);
  }

  private void onFrame(JsonObject frame) {
    String type = frame.getString("type");
    String address = frame.getString("address");
    if (address != null) {
      Promise<JsonObject> reply = pending.remove(address);
      if (reply != null) {
        if ("err".equals(type)) reply.fail(BridgeError.of(frame));
        else reply.complete(frame.getJsonObject("body"));
        return;
      }
      if ("err".equals(type)) {
        Handler<BridgeError> onError = registerErrors.get(address);
        if (onError != null) {
          onError.handle(BridgeError.of(frame));
          return;
        }
      } else {
        List<Handler<JsonObject>> list = handlers.get(address);
        if (list != null) {
          for (Handler<JsonObject> h : List.copyOf(list)) h.handle(frame.getJsonObject("body"));
          return;
        }
      }
    }
    if ("err".equals(type)) {
      unaddressedErrors.add(frame);
      errorHandler.handle(frame);
    }
  }

  /** Sends a request and completes with the reply body, or fails with the {@link BridgeError}. */
  public Future<JsonObject> request(String address, JsonObject body) {
    Promise<JsonObject> reply = Promise.promise();
    onContext(() -> {
      String replyAddress = "r." + (++nextReply);
      pending.put(replyAddress, reply);
      writeFrame(new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress));
    });
    return reply.future();
  }

  /** Registers a push handler; a refusal of the registration is handed to {@code onError}. */
  public BridgeClient register(String address, Handler<JsonObject> handler, Handler<BridgeError> onError) {
    onContext(() -> {
      handlers.computeIfAbsent(address, a -> new ArrayList<>()).add(handler);
      registerErrors.put(address, onError);
      writeFrame(new JsonObject().put("type", "register").put("address", address));
    });
    return this;
  }

  public BridgeClient register(String address, Handler<JsonObject> handler) {
    return register(address, handler, e -> { });
  }

  public BridgeClient unregister(String address) {
    onContext(() -> {
      handlers.remove(address);
      registerErrors.remove(address);
      writeFrame(new JsonObject().put("type", "unregister").put("address", address));
    });
    return this;
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) action.run();
    else context.runOnContext(v -> action.run());
  }

  public Future<Void> ping() {
    return writeFrame(new JsonObject().put("type", "ping"));
  }

  public Future<Void> writeFrame(JsonObject frame) {
    return ws.writeTextMessage(frame.encode());
  }

  public Future<Void> writeText(String text) {
    return ws.writeTextMessage(text);
  }

  public Future<Void> writeBinary(Buffer bytes) {
    return ws.writeBinaryMessage(bytes);
  }

  /** Called for {@code err} frames that answer no request or registration (bad frames, publish). */
  public BridgeClient errorHandler(Handler<JsonObject> handler) {
    this.errorHandler = handler;
    return this;
  }

  /** Err frames that answered no request or registration, oldest first (a copy). */
  public List<JsonObject> strayErrors() {
    return List.copyOf(unaddressedErrors);
  }

  public boolean isClosed() {
    return closed.future().isComplete();
  }

  public Future<Void> closeFuture() {
    return closed.future();
  }

  public Future<Void> close() {
    return ws.close().transform(ar -> closed.future());
  }

  /** The WebSocket close status, once closed. */
  public Short closeStatus() {
    return ws.closeStatusCode();
  }
}
