package io.officehours.roster;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatAddresses;
import io.officehours.common.Caller;
import io.officehours.common.Failure;
import io.officehours.common.Json;
import io.officehours.common.Role;
import io.officehours.common.Serve;
import io.officehours.config.Config;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verticle that owns the {@link Roster}: turns requests into calls, asks the chat capability
 * to open and close chats, and tells presence and status what changed.
 *
 * <p>When a user's last connection is gone (presence says so, after the grace period): a waiting
 * student leaves the queue; a chatting student's chat ends with reason {@code left}; a teacher's
 * chats all end with reason {@code left} and their students go back to the head of the queue, in
 * the order their chats started. On shutdown nothing is saved: on one node the queue lives in
 * this verticle's heap.
 */
public final class RosterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RosterVerticle.class);

  private final Config config;
  private Roster roster;
  private int lastWaiting = -1;
  private int lastChats = -1;

  public RosterVerticle(Config config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    roster = new Roster(config.capacity());
    var bus = vertx.eventBus();
    return Future.all(List.of(
        serve(RosterAddresses.READY, this::ready),
        serve(RosterAddresses.CLAIM, this::claim),
        serve(RosterAddresses.ME, this::me),
        serve(RosterAddresses.RELEASE, this::release),
        bus.<JsonObject>localConsumer(RosterAddresses.USER_OFFLINE, m -> depart(m.body().getString("userId"))).completion()));
  }

  private Future<Void> serve(String address, Function<Message<Object>, Future<JsonObject>> handler) {
    return vertx.eventBus().localConsumer(address, (Message<Object> m) -> Serve.answer(m, handler, LOG)).completion();
  }

  private Future<JsonObject> ready(Message<Object> m) {
    Caller caller = Caller.of(m);
    if (!caller.is(Role.STUDENT)) throw Failure.of(Failure.FORBIDDEN, "only students can join the queue");
    int position = roster.ready(caller.userId());
    changed(List.of(caller.userId()));
    return Future.succeededFuture(new JsonObject().put("position", position));
  }

  private Future<JsonObject> claim(Message<Object> m) {
    Caller caller = Caller.of(m);
    if (!caller.is(Role.TEACHER)) throw Failure.of(Failure.FORBIDDEN, "only teachers can claim students");
    Roster.PendingClaim claim = roster.startClaim(caller.userId());
    if (claim == null) return Future.succeededFuture(new JsonObject().putNull("chat"));
    JsonObject open = new JsonObject().put("teacherId", claim.teacherId()).put("studentId", claim.studentId());
    return request(ChatAddresses.OPEN, open)
        .map(Chat::fromJson)
        .onSuccess(chat -> {
          if (!roster.confirm(claim, chat.chatId())) closeAsLeft(chat.chatId(), claim.studentId());
          changed(List.of(claim.teacherId(), claim.studentId()));
        })
        .onFailure(e -> {
          roster.abort(claim);
          changed(List.of(claim.teacherId(), claim.studentId()));
        })
        .map(chat -> new JsonObject().put("chat", chat.toJson()));
  }

  private Future<JsonObject> me(Message<Object> m) {
    Caller caller = Caller.of(m);
    Integer position = caller.is(Role.STUDENT) ? roster.position(caller.userId()) : null;
    Collection<String> chatIds = roster.chatsOf(caller.userId());
    Future<JsonArray> chats = chatIds.isEmpty()
        ? Future.succeededFuture(new JsonArray())
        : request(ChatAddresses.STATES, new JsonObject().put("chatIds", new JsonArray(List.copyOf(chatIds))))
            .map(reply -> openOnly(reply.getJsonArray("chats")));
    return chats.map(list -> new JsonObject()
        .put("userId", caller.userId())
        .put("role", caller.role().wire())
        .put("position", position)
        .put("chats", list));
  }

  private static JsonArray openOnly(JsonArray states) {
    JsonArray open = new JsonArray();
    for (int i = 0; i < states.size(); i++) {
      JsonObject s = states.getJsonObject(i);
      if ("open".equals(s.getString("state"))) open.add(s);
    }
    return open;
  }

  private Future<JsonObject> release(Message<Object> m) {
    Roster.Assignment a = roster.release(Json.requiredString(Json.body(m.body()), "chatId"));
    if (a != null) changed(List.of(a.teacherId(), a.studentId()));
    return Future.succeededFuture(new JsonObject());
  }

  private void depart(String userId) {
    Roster.Departure departure = roster.depart(userId);
    if (departure.leftQueue()) LOG.info("{} left the queue", userId);
    List<Future<Roster.Assignment>> closes = new ArrayList<>();
    // chatsToClose is in the order the chats started: orphaned students keep that order at the head
    for (Roster.Assignment a : departure.chatsToClose()) {
      closes.add(closeAsLeft(a.chatId(), userId).map(a));
    }
    Future.join(closes).onComplete(done -> {
      List<String> orphans = new ArrayList<>();
      closes.stream().filter(Future::succeeded).map(Future::result)
          .filter(a -> a.teacherId().equals(userId))
          .forEach(a -> orphans.add(a.studentId()));
      roster.requeueAtHead(orphans);
      List<String> touched = new ArrayList<>(orphans);
      touched.add(userId);
      changed(touched);
    });
    if (closes.isEmpty()) changed(List.of(userId));
  }

  /** Ends a chat as "left" and forgets it here whether or not it had ended already. */
  private Future<Void> closeAsLeft(String chatId, String by) {
    return request(ChatAddresses.CLOSE, new JsonObject().put("chatId", chatId).put("by", by))
        .<Void>mapEmpty()
        .recover(e -> Failure.codeOf(e) == Failure.CONFLICT ? Future.succeededFuture() : Future.failedFuture(e))
        .onComplete(done -> roster.release(chatId));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus()
        .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis()))
        .map(Message::body);
  }

  /** Tells presence the users' statuses and status the counts, when they changed. */
  private void changed(List<String> userIds) {
    var bus = vertx.eventBus();
    for (String id : userIds) {
      bus.publish(RosterAddresses.USER_STATUS, new JsonObject().put("userId", id).put("status", roster.status(id)));
    }
    if (roster.waiting() != lastWaiting || roster.openChats() != lastChats) {
      lastWaiting = roster.waiting();
      lastChats = roster.openChats();
      bus.publish(StatusAddresses.ROSTER_COUNTS, new JsonObject().put("waiting", lastWaiting).put("chats", lastChats));
    }
  }
}
