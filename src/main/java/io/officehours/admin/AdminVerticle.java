package io.officehours.admin;

import io.officehours.common.Caller;
import io.officehours.common.ClusterConsumer;
import io.officehours.common.Failure;
import io.officehours.common.Json;
import io.officehours.common.Role;
import io.officehours.config.Config;
import io.officehours.push.InboxAddresses;
import io.officehours.push.Pushes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' side of a node: it serves {@code tutor.admin.send}, and it runs this node's part
 * of the traffic tap.
 *
 * <p><b>The tap's lease.</b> A node records only while some admin, on any node, taps. A node with
 * tapping admin sockets publishes a lease on {@link AdminAddresses#TAP_LEASE} every
 * {@value #LEASE_RENEW_MS} ms; every node records while the newest lease it heard of is younger
 * than {@value #LEASE_TTL_MS} ms, and publishes what it recorded every {@value Tap#WINDOW_MS} ms
 * to the gateways of every node. Nobody has to say "stop": when the last admin stops tapping, or
 * its node dies, the leases stop and every node turns its tap off within the TTL by itself.
 */
public final class AdminVerticle extends VerticleBase {

  static final long LEASE_RENEW_MS = 2000;
  static final long LEASE_TTL_MS = 3 * LEASE_RENEW_MS;
  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  private final Config config;
  private final Tap tap;
  private long leaseUntil;
  private long leaseSentAt = Long.MIN_VALUE / 2;
  private long ticker = -1;

  public AdminVerticle(Config config, Tap tap) {
    this.config = config;
    this.tap = tap;
  }

  @Override
  public Future<?> start() {
    ticker = vertx.setPeriodic(Tap.WINDOW_MS, t -> tick());
    return Future.all(
        ClusterConsumer.<JsonObject>register(vertx, AdminAddresses.TAP_LEASE, m -> leased()),
        vertx.eventBus().localConsumer(AdminAddresses.SEND, this::answerSend).completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(ticker);
    tap.stop();
    return Future.succeededFuture();
  }

  private void leased() {
    leaseUntil = System.currentTimeMillis() + LEASE_TTL_MS;
    if (!tap.on()) LOG.info("traffic tap on: an admin is tapping");
    tap.start();
  }

  private void tick() {
    long now = System.currentTimeMillis();
    if (tap.watched() && now - leaseSentAt >= LEASE_RENEW_MS) {
      leaseSentAt = now;
      vertx.eventBus().publish(AdminAddresses.TAP_LEASE, new JsonObject().put("node", tap.node()));
    }
    if (!tap.on()) return;
    if (now > leaseUntil) {
      LOG.info("traffic tap off: no admin taps any more");
      tap.stop();
      return;
    }
    TapBatch batch = tap.drain(now);
    if (!batch.isEmpty()) vertx.eventBus().publish(AdminAddresses.TAP_BATCH, batch.toJson());
  }

  /**
   * Like {@link io.officehours.common.Serve#answer}, except that a failure on the admin's target
   * (a timeout, no consumer) is the admin's answer, not this node's trouble: it is not logged as a
   * warning. Anything that is not a ReplyException is a bug here, and is.
   */
  private void answerSend(Message<Object> message) {
    Future<JsonObject> result;
    try {
      result = send(message);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
        return;
      }
      if (ar.cause() instanceof ReplyException) LOG.debug("{}: {}", AdminAddresses.SEND, ar.cause().getMessage());
      else LOG.warn("{} failed: {}", AdminAddresses.SEND, ar.cause().toString(), ar.cause());
      Failure.reply(message, ar.cause());
    });
  }

  private Future<JsonObject> send(Message<Object> message) {
    Caller caller = Caller.of(message);
    if (!caller.is(Role.ADMIN)) return Future.failedFuture(Failure.of(Failure.FORBIDDEN, "only admins may use " + AdminAddresses.SEND));
    AdminSend send = AdminSend.fromJson(Json.body(message.body()), config.maxAddressLength(), config.requestTimeout().toMillis());
    if (send.address().startsWith(InboxAddresses.INBOX_PREFIX)) return pushToInbox(send, caller);
    if (send.publish()) {
      vertx.eventBus().publish(send.address(), send.body(), send.deliveryOptions(caller));
      return Future.succeededFuture(new JsonObject().put("published", true).put("droppedHeaders", new JsonArray(send.droppedHeaders())));
    }
    long started = System.nanoTime();
    return vertx.eventBus().request(send.address(), send.body(), send.deliveryOptions(caller))
        .map(reply -> new JsonObject()
            .put("reply", jsonValue(reply.body()))
            .put("headers", headers(reply.headers()))
            .put("ms", (System.nanoTime() - started) / 1_000_000)
            .put("droppedHeaders", new JsonArray(send.droppedHeaders())))
        .recover(e -> Future.failedFuture(explain(send, e)));
  }

  /**
   * A user's inbox is not an event-bus address (each gateway keeps its sockets in a map), so a
   * raw publish would reach nobody: it goes through the same cluster-wide delivery as every push,
   * and reaches the user's sockets on every node.
   */
  private Future<JsonObject> pushToInbox(AdminSend send, Caller caller) {
    if (!send.publish()) {
      throw Failure.of(Failure.BAD_REQUEST, send.address() + " is a push address: nothing answers a request there; set \"publish\": true");
    }
    if (!(send.body() instanceof JsonObject body)) throw Failure.of(Failure.BAD_REQUEST, "a push to a user's inbox needs a JSON object body");
    String userId = send.address().substring(InboxAddresses.INBOX_PREFIX.length());
    JsonObject push = AdminAddresses.NOTICE.equals(body.getValue("type"))
        ? Notice.fromJson(body, caller.userId(), config.maxTextLength()).toJson()
        : body;
    Pushes.overBus(vertx.eventBus()).toUsers(List.of(userId), push);
    return Future.succeededFuture(new JsonObject().put("published", true).put("via", InboxAddresses.DELIVER)
        .put("users", new JsonArray().add(userId)));
  }

  /** The failure of a request, in a contract code and words that say what happened on the bus. */
  static ReplyException explain(AdminSend send, Throwable e) {
    String address = send.address();
    if (!(e instanceof ReplyException re)) return Failure.of(Failure.UNAVAILABLE, address + " failed: " + e.getMessage());
    return switch (re.failureType()) {
      case NO_HANDLERS -> Failure.of(Failure.NOT_FOUND, "nothing consumes " + address + " (NO_HANDLERS)");
      case TIMEOUT -> Failure.of(Failure.UNAVAILABLE, "no reply from " + address + " within " + send.timeoutMs() + " ms (TIMEOUT)");
      case RECIPIENT_FAILURE -> Failure.of(Failure.isContractCode(re.failureCode()) ? re.failureCode() : Failure.UNAVAILABLE,
          address + " failed with code " + re.failureCode() + ": " + re.getMessage() + " (RECIPIENT_FAILURE)");
      case ERROR -> Failure.of(Failure.UNAVAILABLE, address + " failed: " + re.getMessage() + " (ERROR)");
    };
  }

  /** A reply body as JSON: bodies that are not JSON values (a buffer, a codec's object) are described. */
  private static Object jsonValue(Object body) {
    if (body == null || body instanceof JsonObject || body instanceof JsonArray || body instanceof String
        || body instanceof Number || body instanceof Boolean) {
      return body;
    }
    if (body instanceof Buffer b) return "<" + b.length() + " bytes>";
    return "<" + body.getClass().getSimpleName() + "> " + Tap.preview(body.toString());
  }

  private static JsonObject headers(MultiMap headers) {
    JsonObject out = new JsonObject();
    for (String name : headers.names()) {
      List<String> values = headers.getAll(name);
      out.put(name, values.size() == 1 ? values.get(0) : new JsonArray(values));
    }
    return out;
  }
}
