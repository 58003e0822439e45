package io.officehours.roster;

import io.officehours.chat.Chat;
import io.officehours.common.ClusterEvents;
import io.officehours.chat.ChatAddresses;
import io.officehours.common.Caller;
import io.officehours.common.Failure;
import io.officehours.common.Json;
import io.officehours.common.Role;
import io.officehours.common.Serve;
import io.officehours.config.Config;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns roster requests into {@link RosterOp}s on the deployment's one {@link RosterStore}, asks
 * the chat capability to open and close chats, and tells presence and status what changed. Every
 * node runs one; in a cluster they all work on the same replicated roster, so which node a client
 * reaches does not matter.
 *
 * <p>When a user's last connection is gone (presence says so, after the grace period): a waiting
 * student leaves the queue; a chatting student's chat ends with reason {@code left}; a teacher's
 * chats all end with reason {@code left} and their students go back to the head of the queue, in
 * the order their chats started. When a node dies, the claims it was opening are aborted and their
 * students go back to their places. On a single node the roster lives in this verticle's heap and
 * is lost with it; in a cluster it survives the loss of any one node.
 */
public final class RosterVerticle extends VerticleBase {

  static final long SETTLE_RETRY_MS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(RosterVerticle.class);

  private final Config config;
  private final Function<Context, RosterStore> stores;
  private final String nodeId;
  private final Supplier<String> newChatId;
  private RosterStore roster;

  /** {@code newChatId}: the id of a chat this node opens (the chat router's), drawn before the claim. */
  public RosterVerticle(Config config, Function<Context, RosterStore> stores, String nodeId, Supplier<String> newChatId) {
    this.config = config;
    this.stores = stores;
    this.nodeId = nodeId;
    this.newChatId = newChatId;
  }

  @Override
  public Future<?> start() {
    roster = stores.apply(context);
    var bus = vertx.eventBus();
    return Future.all(List.of(
        serve(RosterAddresses.READY, this::ready),
        serve(RosterAddresses.CLAIM, this::claim),
        serve(RosterAddresses.ME, this::me),
        serve(RosterAddresses.RELEASE, this::release),
        serve(RosterAddresses.OPEN_CHATS, this::openChats),
        bus.<JsonObject>localConsumer(RosterAddresses.USER_OFFLINE, m -> depart(m.body().getString("userId"))).completion(),
        bus.<JsonObject>localConsumer(ClusterEvents.NODE_LEFT, m -> abortClaimsOf(m.body().getString("nodeId"))).completion()));
  }

  private Future<Void> serve(String address, Function<Message<Object>, Future<JsonObject>> handler) {
    return vertx.eventBus().localConsumer(address, (Message<Object> m) -> Serve.answer(m, handler, LOG)).completion();
  }

  private <T extends Serializable> Future<T> run(RosterOp<T> op) {
    return roster.run(op).map(outcome -> {
      // a read changes nothing: no status to tell, and no cluster-wide publish per tutor.me
      if (!op.readOnly()) changed(outcome);
      return outcome.value();
    });
  }

  private Future<JsonObject> ready(Message<Object> m) {
    Caller caller = Caller.of(m);
    if (!caller.is(Role.STUDENT)) throw Failure.of(Failure.FORBIDDEN, "only students can join the queue");
    return settled(() -> run(new RosterOps.Ready(caller.userId())), Objects::isNull).map(position -> {
      if (position == null) throw Failure.of(Failure.CONFLICT, "a teacher is opening a chat with you");
      return new JsonObject().put("position", position);
    });
  }

  /**
   * The answer once no claim is opening a chat with the user: asked again every
   * {@value #SETTLE_RETRY_MS} ms while {@code unsettled}, for up to half the request timeout (the
   * answer still comes before the gateway gives up on it). A claim takes
   * milliseconds; in between the user is neither in the queue nor in a chat, and a client that
   * reconnects just then (its node died) must not learn that it is nowhere (NodeDeathIT).
   */
  private <T> Future<T> settled(Supplier<Future<T>> attempt, Predicate<T> unsettled) {
    return settled(attempt, unsettled, System.currentTimeMillis() + config.requestTimeout().toMillis() / 2);
  }

  private <T> Future<T> settled(Supplier<Future<T>> attempt, Predicate<T> unsettled, long until) {
    return attempt.get().compose(value -> {
      if (!unsettled.test(value) || System.currentTimeMillis() >= until) return Future.succeededFuture(value);
      Promise<T> later = Promise.promise();
      vertx.setTimer(SETTLE_RETRY_MS, t -> settled(attempt, unsettled, until).onComplete(later));
      return later.future();
    });
  }

  private Future<JsonObject> claim(Message<Object> m) {
    Caller caller = Caller.of(m);
    if (!caller.is(Role.TEACHER)) throw Failure.of(Failure.FORBIDDEN, "only teachers can claim students");
    RosterOps.StartClaim start = new RosterOps.StartClaim(caller.userId(), nodeId, newChatId.get());
    return run(start)
        .recover(e -> Failure.codeOf(e) != Failure.CONFLICT ? Future.failedFuture(e)
            : releaseEnded(caller.userId()).compose(freed -> freed > 0 ? run(start) : Future.failedFuture(e)))
        .compose(claim -> claim == null ? Future.succeededFuture(new JsonObject().putNull("chat"))
            : openChat(claim).map(chat -> new JsonObject().put("chat", chat.toJson())));
  }

  /**
   * Frees the teacher's slots held by chats that are no longer open in the store: a chat whose end
   * reached the store but not the roster (the node between them died). Returns how many.
   */
  private Future<Integer> releaseEnded(String teacherId) {
    return run(new RosterOps.ChatsOf(teacherId)).compose(ids -> openStates(ids).compose(open -> {
      List<String> stale = new ArrayList<>(ids);
      for (int i = 0; i < open.size(); i++) stale.remove(open.getJsonObject(i).getString("chatId"));
      List<Future<?>> releases = new ArrayList<>();
      stale.forEach(chatId -> releases.add(run(new RosterOps.Release(chatId))));
      if (!stale.isEmpty()) LOG.info("released {} ended chats still holding {}'s slots: {}", stale.size(), teacherId, stale);
      return Future.all(releases).map(stale.size());
    }));
  }

  /** Opens the claimed chat and confirms it, or puts the student back when the chat cannot be opened. */
  private Future<Chat> openChat(Roster.PendingClaim claim) {
    JsonObject open = new JsonObject().put("chatId", claim.chatId()).put("teacherId", claim.teacherId()).put("studentId", claim.studentId());
    return request(ChatAddresses.OPEN, open)
        .map(Chat::fromJson)
        .recover(e -> run(new RosterOps.Abort(claim)).transform(done -> Future.failedFuture(e)))
        .compose(chat -> run(new RosterOps.Confirm(claim, chat.chatId())).map(bothHere -> {
          if (!bothHere) closeAsLeft(chat.chatId(), claim.studentId());
          return chat;
        }));
  }

  private Future<JsonObject> me(Message<Object> m) {
    Caller caller = Caller.of(m);
    // one op on the shared roster, not two: in a cluster every op is a round trip to its owner
    return settled(() -> run(new RosterOps.Me(caller.userId(), caller.is(Role.STUDENT))), RosterOps.MeResult::claimPending)
        .compose(me -> openStates(me.chatIds()).map(open -> new JsonObject()
            .put("userId", caller.userId())
            .put("role", caller.role().wire())
            .put("position", me.position())
            .put("chats", open)));
  }

  private Future<JsonObject> openChats(Message<Object> m) {
    if (!Caller.of(m).is(Role.ADMIN)) throw Failure.of(Failure.FORBIDDEN, "admins only");
    return run(new RosterOps.OpenChats()).compose(this::openStates).map(chats -> new JsonObject().put("chats", chats));
  }

  /** The states of those of these chats that are open in the store: the roster's record checked against the store's. */
  private Future<JsonArray> openStates(List<String> chatIds) {
    if (chatIds.isEmpty()) return Future.succeededFuture(new JsonArray());
    return request(ChatAddresses.STATES, new JsonObject().put("chatIds", new JsonArray(List.copyOf(chatIds)))).map(reply -> {
      JsonArray states = reply.getJsonArray("chats");
      JsonArray open = new JsonArray();
      for (int i = 0; i < states.size(); i++) {
        JsonObject s = states.getJsonObject(i);
        if ("open".equals(s.getString("state"))) open.add(s);
      }
      return open;
    });
  }

  private Future<JsonObject> release(Message<Object> m) {
    String chatId = Json.requiredString(Json.body(m.body()), "chatId");
    return run(new RosterOps.Release(chatId)).map(a -> new JsonObject());
  }

  private void depart(String userId) {
    run(new RosterOps.Depart(userId))
        .compose(departure -> {
          if (departure.leftQueue()) LOG.info("{} left the queue", userId);
          // chatsToClose is in the order the chats started: orphaned students keep that order at the head
          List<Future<Roster.Assignment>> closes = new ArrayList<>();
          for (Roster.Assignment a : departure.chatsToClose()) {
            closes.add(closeAsLeft(a.chatId(), userId).map(closedNow -> closedNow ? a : null));
          }
          return Future.join(closes).transform(done -> {
            // only the students whose chat this departure ended go back: a chat that had ended
            // already (the student left first) must not requeue a student who is gone
            ArrayList<String> orphans = new ArrayList<>();
            closes.stream().filter(Future::succeeded).map(Future::result)
                .filter(a -> a != null && a.teacherId().equals(userId))
                .forEach(a -> orphans.add(a.studentId()));
            return orphans.isEmpty() ? Future.succeededFuture() : run(new RosterOps.RequeueAtHead(orphans)).mapEmpty();
          });
        })
        .onFailure(e -> LOG.warn("departure of {} not fully applied: {}", userId, e.toString()));
  }

  private void abortClaimsOf(String deadNode) {
    run(new RosterOps.AbortClaimsOf(deadNode))
        .onSuccess(aborted -> {
          if (!aborted.isEmpty()) LOG.info("aborted {} claims of departed node {}", aborted.size(), deadNode);
          // the dead node may have created a claim's chat and pushed chat.started before it died:
          // ended here, its users learn that it is over (the student is back at its old place)
          aborted.forEach(claim -> closeAsLeft(claim.chatId(), claim.teacherId())
              .onFailure(e -> {
                if (Failure.codeOf(e) != Failure.NOT_FOUND) LOG.warn("could not end chat {} of an aborted claim: {}", claim.chatId(), e.toString());
              }));
        })
        .onFailure(e -> LOG.warn("could not abort the claims of node {}: {}", deadNode, e.toString()));
  }

  /**
   * Ends a chat as "left" and forgets it here whether or not it had ended already; true when this
   * call ended it, false when it had ended before.
   */
  private Future<Boolean> closeAsLeft(String chatId, String by) {
    return request(ChatAddresses.CLOSE, new JsonObject().put("chatId", chatId).put("by", by))
        .map(reply -> true)
        .recover(e -> Failure.codeOf(e) == Failure.CONFLICT ? Future.succeededFuture(false) : Future.failedFuture(e))
        .transform(done -> run(new RosterOps.Release(chatId)).transform(v -> done.succeeded()
            ? Future.succeededFuture(done.result()) : Future.<Boolean>failedFuture(done.cause())));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis()))
        .map(Message::body);
  }

  /**
   * Tells presence the touched users' statuses and status the counts. Both go to every node; the
   * counts carry the roster's version so a node never replaces newer counts with older ones.
   */
  private void changed(Outcome<?> outcome) {
    var bus = vertx.eventBus();
    outcome.statuses().forEach((userId, status) ->
        bus.publish(RosterAddresses.USER_STATUS, new JsonObject().put("userId", userId).put("status", status)));
    bus.publish(StatusAddresses.ROSTER_COUNTS, new JsonObject()
        .put("waiting", outcome.waiting()).put("chats", outcome.chats()).put("version", outcome.version()));
  }
}
