package io.officehours.gateway;

import io.officehours.admin.Tap;
import io.officehours.chat.ChatAddresses;
import io.officehours.chat.ChatLines;
import io.officehours.common.Caller;
import io.officehours.common.Failure;
import io.officehours.common.Role;
import io.officehours.config.Config;
import io.officehours.ops.ClusterView;
import io.officehours.ops.NodeMetrics;
import io.officehours.push.Inboxes;
import io.officehours.roster.RosterAddresses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.ProtocolUpgradeHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a node: the event-bus bridge on {@code /eventbus} (SockJS, every transport)
 * and {@code /eventbus/websocket} (raw WebSocket, same frames), {@code POST /api/token} in dev
 * mode, {@code /health}, and the static web client. One instance runs per core; the instances
 * share the port and each owns the sockets it accepted.
 *
 * <p>Tokens are checked before any socket exists: a request without a valid token gets 401 and
 * never becomes a connection, so no frame of it is ever processed.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  private static final String IDENTITY = "officehours.identity";
  private static final String SESSION = "officehours.sockjs.session";
  /** WebSocket close code 1009: the message was too big to process. */
  private static final short MESSAGE_TOO_BIG = 1009;
  /** The web client's folder in the jar (the build copies web-client/ there). */
  private static final String WEB_ROOT = "webroot";

  private final Config config;
  private final NodeMetrics metrics;
  private final ClusterView cluster;
  private final Tap tap;
  private final Inboxes inboxes;
  private final String nodeId;
  private final ChatLines lines;
  private TokenService tokens;
  private Bridge bridge;
  private HttpServer server;

  /**
   * {@code nodeId}: the id other nodes address this one by (its delivery address); {@code inboxes}
   * and {@code lines}: the straight path of a one-node deployment, or both null.
   */
  public GatewayVerticle(Config config, String nodeId, NodeMetrics metrics, ClusterView cluster, Tap tap, Inboxes inboxes, ChatLines lines) {
    this.config = config;
    this.metrics = metrics;
    this.cluster = cluster;
    this.tap = tap;
    this.inboxes = inboxes;
    this.nodeId = nodeId;
    this.lines = lines;
  }

  @Override
  public Future<?> start() {
    tokens = new TokenService(vertx, config);
    bridge = new Bridge(vertx, config, nodeId, metrics, tap, inboxes, lines);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.host())
        // HTTP/1.1 and WebSocket only: SockJS polling closes its connection after each response,
        // which an h2c connection does not survive
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(config.maxFrameBytes())
        .setMaxWebSocketMessageSize(config.maxFrameBytes()));
    return bridge.start().compose(v -> server.requestHandler(router()).listen(config.port()));
  }

  @Override
  public Future<?> stop() {
    bridge.stop();
    return server.close();
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP").put("node", config.nodeId())));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(config.nodeId()));
    router.get("/api/cluster").handler(this::clusterMembers);
    router.get("/api/chats/:chatId").handler(this::chatHistory);
    router.get("/api/chats").handler(this::openChats);
    if (config.dev()) {
      router.post("/api/token").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::issueToken);
    }
    router.get("/eventbus/websocket").handler((ProtocolUpgradeHandler) this::rawWebSocket);
    // Vert.x 5's SockJS send transports read the body through a BodyHandler; its limit refuses
    // (413) a send larger than two frames' worth, before the body is buffered
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(2L * config.maxFrameBytes()));
    router.route("/eventbus/*").handler(this::guardSockJs);
    SockJSHandlerOptions sockJsOptions = new SockJSHandlerOptions()
        .setHeartbeatInterval(25_000)
        // no JSESSIONID: the load balancer routes SockJS sessions by their path, not by cookie
        .setInsertJSESSIONID(false)
        .setRegisterWriteHandler(false);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, sockJsOptions).socketHandler(this::sockJsSocket));
    router.route().handler(new WebCachePolicy(vertx, WEB_ROOT)).handler(StaticHandler.create(WEB_ROOT).setIndexPage(WebCachePolicy.INDEX_PAGE));
    return router;
  }

  private void ready(RoutingContext ctx) {
    boolean ready = cluster.ready();
    ctx.response().setStatusCode(ready ? 200 : 503);
    ctx.json(new JsonObject().put("status", ready ? "READY" : "NOT_READY").put("node", config.nodeId()));
  }

  /** The caller of an HTTP API request: a token as {@code Authorization: Bearer} or {@code ?token=}. */
  private Future<Identity> caller(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    return tokens.verify(header != null && header.startsWith("Bearer ") ? header.substring(7) : ctx.request().getParam("token"));
  }

  /** Admins only: the nodes, their HTTP addresses, connection counts and traffic. */
  private void clusterMembers(RoutingContext ctx) {
    caller(ctx)
        .compose(who -> who.role() == Role.ADMIN ? cluster.members()
            : Future.failedFuture(Failure.of(Failure.FORBIDDEN, "admins only")))
        .onSuccess(members -> ctx.json(new JsonObject().put("members", members)))
        .onFailure(e -> httpError(ctx, Failure.codeOf(e), Failure.messageOf(e)));
  }

  /** A participant or an admin: the chat and its lines ({@code ?afterSeq=n}), as {@code tutor.chat.history} answers. */
  private void chatHistory(RoutingContext ctx) {
    JsonObject query = new JsonObject().put("chatId", ctx.pathParam("chatId"));
    String afterSeq = ctx.request().getParam("afterSeq");
    if (afterSeq != null) {
      try {
        query.put("afterSeq", Long.parseLong(afterSeq));
      } catch (NumberFormatException e) {
        httpError(ctx, 400, "afterSeq must be an integer");
        return;
      }
    }
    askAs(ctx, ChatAddresses.HISTORY, query);
  }

  /** Admins only: the chats in progress in the whole deployment. */
  private void openChats(RoutingContext ctx) {
    String state = ctx.request().getParam("state", "open");
    if (!"open".equals(state)) {
      httpError(ctx, 400, "only state=open is listed");
      return;
    }
    askAs(ctx, RosterAddresses.OPEN_CHATS, new JsonObject());
  }

  /** Sends a request with the token's identity, as the bridge would, and answers with the reply or its contract code. */
  private void askAs(RoutingContext ctx, String address, JsonObject body) {
    caller(ctx)
        .compose(who -> vertx.eventBus().<JsonObject>request(address, body,
            new Caller(who.userId(), who.role(), "http").toDeliveryOptions(config.requestTimeout().toMillis())))
        .onSuccess(reply -> ctx.json(reply.body()))
        .onFailure(e -> httpError(ctx, Failure.codeOf(e), Failure.messageOf(e)));
  }

  private void issueToken(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      httpError(ctx, 400, "body must be a JSON object {\"userId\", \"role\"}");
      return;
    }
    Object userId = body.getValue("userId");
    Role role = body.getValue("role") instanceof String r ? Role.parse(r) : null;
    if (!(userId instanceof String id) || !TokenService.isValidUserId(id)) {
      httpError(ctx, 400, "userId must be 1 to 64 letters, digits or _ . @ -");
      return;
    }
    if (role == null) {
      httpError(ctx, 400, "role must be student, teacher or admin");
      return;
    }
    ctx.json(new JsonObject().put("token", tokens.issue(id, role)));
  }

  private void rawWebSocket(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      httpError(ctx, 400, "expected a WebSocket upgrade");
      return;
    }
    request.pause();
    tokens.verify(request.getParam("token")).onComplete(ar -> {
      request.resume();
      if (ar.failed()) {
        httpError(ctx, 401, Failure.messageOf(ar.cause()));
        return;
      }
      request.toWebSocket()
          .onSuccess(ws -> attach(ws, ar.result()))
          .onFailure(e -> LOG.debug("WebSocket upgrade failed: {}", e.toString()));
    });
  }

  private void attach(ServerWebSocket ws, Identity identity) {
    ws.setWriteQueueMaxSize(1024 * 1024);
    BridgeConnection connection = bridge.open(ClientSocket.of(ws), identity);
    ws.textMessageHandler(connection::onText);
    ws.binaryMessageHandler(connection::onBytes);
    ws.exceptionHandler(e -> {
      LOG.debug("socket {}: {}", connection.ref(), e.toString());
      // Vert.x drops a message over maxWebSocketMessageSize, reports it here and keeps the socket
      // open: the client would never learn its frame was refused, so close as the contract asks
      if (e instanceof IllegalStateException) {
        connection.close(MESSAGE_TOO_BIG, "frame larger than " + config.maxFrameBytes() + " bytes");
      }
    });
    ws.closeHandler(v -> connection.closed());
  }

  /**
   * Every SockJS request that carries a session (any transport, and each xhr poll or send) must
   * carry a valid token of the user who opened the session; {@code info} and the iframe page carry
   * no frames and need none. Sends are read by the BodyHandler before this check, so a send
   * without a token costs the node at most the body limit (two frames) before its 401.
   */
  private void guardSockJs(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String[] parts = ctx.pathParam("*") == null ? new String[0] : ctx.pathParam("*").split("/");
    if (parts.length < 3) {
      ctx.next();
      return;
    }
    if (request.method() == HttpMethod.POST && parts[2].endsWith("_send")) {
      String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
      // a SockJS send wraps frames in a JSON array of strings: allow for the quoting
      if (length == null || parseLength(length) > 2L * config.maxFrameBytes()) {
        httpError(ctx, 413, "send body missing a Content-Length or larger than " + 2 * config.maxFrameBytes() + " bytes");
        return;
      }
    }
    // the BodyHandler has read a POST already, and an HTTP/2 request that ended throws on pause()
    boolean paused = !request.isEnded();
    if (paused) request.pause();
    tokens.verify(request.getParam("token")).onComplete(ar -> {
      if (paused) request.resume();
      if (ar.failed()) {
        httpError(ctx, 401, Failure.messageOf(ar.cause()));
        return;
      }
      // a session belongs to the user whose token opened it: another valid token may not use it
      String owner = sessionOwners().get(parts[1]);
      if (owner != null && !owner.equals(ar.result().userId())) {
        httpError(ctx, 403, "this session belongs to another user");
        return;
      }
      ctx.put(IDENTITY, ar.result());
      ctx.put(SESSION, parts[1]);
      ctx.next();
    });
  }

  private static long parseLength(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void sockJsSocket(SockJSSocket sock) {
    Identity identity = sock.routingContext() == null ? null : sock.routingContext().get(IDENTITY);
    if (identity == null) {
      sock.close(4401, "not authenticated");
      return;
    }
    String session = sock.routingContext().get(SESSION);
    sessionOwners().put(session, identity.userId());
    BridgeConnection connection = bridge.open(ClientSocket.of(sock), identity);
    sock.handler(connection::onBytes);
    sock.exceptionHandler(e -> LOG.debug("socket {}: {}", connection.ref(), e.toString()));
    Handler<Void> cleanup = v -> {
      sessionOwners().remove(session, identity.userId());
      connection.closed();
    };
    sock.endHandler(cleanup);
    sock.closeHandler(cleanup);
  }

  /**
   * Who opened each live SockJS session of this node. SockJS keeps its sessions in one map for all
   * gateway instances (any instance may serve a session's next poll), so their owners are kept
   * the same way.
   */
  private LocalMap<String, String> sessionOwners() {
    return vertx.sharedData().getLocalMap("officehours.sockjs.owners");
  }

  private static void httpError(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", message).put("status", status).encode());
  }
}
