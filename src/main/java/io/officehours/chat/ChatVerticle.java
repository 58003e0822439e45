package io.officehours.chat;

import io.officehours.common.Caller;
import io.officehours.common.ClusterConsumer;
import io.officehours.common.ClusterEvents;
import io.officehours.common.Failure;
import io.officehours.common.Json;
import io.officehours.common.Role;
import io.officehours.common.Serve;
import io.officehours.config.Config;
import io.officehours.push.Pushes;
import io.officehours.roster.RosterAddresses;
import io.officehours.store.ChatStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat lifecycle and relay. A chat is opened by the roster when a teacher claims a student;
 * every line is written to the {@link ChatStore} first (which assigns its seq) and only then
 * pushed to every session of both participants and acknowledged with its seq. Ending a chat frees
 * the teacher's slot in the roster before the teacher's request is answered, so a claim sent right
 * after an end never sees a stale capacity.
 *
 * <p>The store is the source of truth: this verticle keeps only the participants of the chats it
 * handled ({@link KnownChats}), which never change, so a line costs the store one append and no read. In a cluster,
 * the writes of one chat (open, lines, end) are all handled by the node the {@link ChatRouter}
 * names, so that chat's pushes leave one node, in order; any node serves reads.
 */
public final class ChatVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ChatVerticle.class);
  private static final String OP = "oh-chat-op";
  /** Internal field of a line's body between chat verticles; a client's own value is replaced. */
  private static final String LINE_ID = "lineId";

  /** A write: the request's headers (the caller) and its body. */
  @FunctionalInterface
  private interface Write {
    Future<JsonObject> handle(MultiMap headers, JsonObject body);
  }

  private final Config config;
  private final ChatStore store;
  private final ChatRouter router;
  private final String nodeId;
  private final Map<String, Write> writes = new HashMap<>();
  private final Forwards forwards = new Forwards();
  private final Pushes pushes;
  private final ChatLines lines;
  private final KnownChats known;
  /** This node's line ids: a random prefix drawn at every start and a counter. */
  private final String lineIdPrefix;
  private long lineIds;

  /**
   * {@code lines}: the straight path of one node, which the gateway takes for lines while this
   * verticle is deployed and this verticle pushes through; null in a cluster, which pushes over {@code pushes}.
   */
  public ChatVerticle(Config config, ChatStore store, ChatRouter router, String nodeId, Pushes pushes, ChatLines lines) {
    this.config = config;
    this.store = store;
    this.router = router;
    this.nodeId = nodeId;
    this.pushes = pushes;
    this.lines = lines;
    this.known = new KnownChats(store, KNOWN_CHATS);
    this.lineIdPrefix = Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36) + ":";
  }

  /** Chats whose participants this node keeps (about 200 bytes each). */
  private static final int KNOWN_CHATS = 100_000;

  @Override
  public Future<?> start() {
    writes.put(ChatAddresses.SEND, this::send);
    writes.put(ChatAddresses.END, this::end);
    writes.put(ChatAddresses.OPEN, this::open);
    writes.put(ChatAddresses.CLOSE, this::close);
    var bus = vertx.eventBus();
    List<Future<Void>> consumers = new ArrayList<>();
    writes.keySet().forEach(address -> consumers.add(bus.localConsumer(address,
        (Message<Object> m) -> Serve.answer(m, msg -> routed(address, msg), LOG)).completion()));
    consumers.add(bus.localConsumer(ChatAddresses.HISTORY, (Message<Object> m) -> Serve.answer(m, this::history, LOG)).completion());
    consumers.add(bus.localConsumer(ChatAddresses.STATES, (Message<Object> m) -> Serve.answer(m, this::states, LOG)).completion());
    consumers.add(bus.<JsonObject>localConsumer(ClusterEvents.NODE_LEFT, m -> forwards.ownerLeft(m.body().getString("nodeId"))).completion());
    consumers.add(ClusterConsumer.register(vertx, ChatAddresses.node(nodeId), (Message<Object> m) -> Serve.answer(m, this::forwarded, LOG)));
    return Future.all(consumers).onSuccess(v -> {
      if (lines != null) lines.serving(true);
    });
  }

  @Override
  public Future<?> stop() {
    if (lines != null) lines.serving(false);
    return Future.succeededFuture();
  }

  /** Handles a write here when this node owns the chat, else forwards it, caller and all, to the owner. */
  private Future<JsonObject> routed(String address, Message<Object> m) {
    JsonObject body = Json.body(m.body());
    // the roster draws the id before its claim (so a claim aborted with its node finds the chat)
    if (address.equals(ChatAddresses.OPEN) && !(body.getValue("chatId") instanceof String)) body = body.copy().put("chatId", router.newChatId());
    // named where it arrived: if the owner dies before answering, the write done here instead is
    // recognised by the store as the same line, not a second one (OwnerLossIT)
    if (address.equals(ChatAddresses.SEND)) body.put(LINE_ID, lineIdPrefix + (++lineIds));
    String owner = body.getValue("chatId") instanceof String id ? router.ownerOf(id) : null;
    if (owner == null || owner.equals(nodeId)) return writes.get(address).handle(m.headers(), body);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis());
    m.headers().forEach(h -> options.addHeader(h.getKey(), h.getValue()));
    options.addHeader(OP, address);
    JsonObject forwarded = body;
    return forwards.track(owner, vertx.eventBus().<JsonObject>request(ChatAddresses.node(owner), body, options))
        .map(Message::body)
        .recover(e -> {
          // the owner just left, before answering or before the partition table knew: the store is
          // still right when written from here, only the one-node ordering of pushes is lost meanwhile
          if (e instanceof Forwards.OwnerLeft || e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            return writes.get(address).handle(m.headers(), forwarded);
          }
          return Future.failedFuture(e);
        });
  }

  private Future<JsonObject> forwarded(Message<Object> m) {
    Write write = writes.get(m.headers().get(OP));
    if (write == null) throw Failure.of(Failure.BAD_REQUEST, "unknown chat operation");
    return write.handle(m.headers(), Json.body(m.body()));
  }

  private Future<JsonObject> send(MultiMap headers, JsonObject body) {
    Caller caller = Caller.of(headers);
    String chatId = Json.requiredString(body, "chatId");
    String text = Json.requiredString(body, "text");
    if (text.isBlank()) throw Failure.of(Failure.BAD_REQUEST, "text is empty");
    if (text.codePointCount(0, text.length()) > config.maxTextLength()) {
      throw Failure.of(Failure.TOO_LARGE, "text is longer than " + config.maxTextLength() + " characters");
    }
    return known.get(chatId).compose(chat -> {
      if (!chat.hasParticipant(caller.userId())) return Future.failedFuture(Failure.of(Failure.FORBIDDEN, "not a participant of this chat"));
      return store.append(chatId, caller.userId(), text, System.currentTimeMillis(), body.getString(LINE_ID)).map(message -> {
        push(chat, new JsonObject().put("type", "chat.message").mergeIn(message.toJson()));
        return new JsonObject().put("seq", message.seq());
      });
    });
  }

  private Future<JsonObject> end(MultiMap headers, JsonObject body) {
    Caller caller = Caller.of(headers);
    String chatId = Json.requiredString(body, "chatId");
    return known.get(chatId)
        .compose(chat -> {
          if (!chat.teacherId().equals(caller.userId())) {
            return Future.failedFuture(Failure.of(Failure.FORBIDDEN, "only the chat's teacher can end it"));
          }
          // ended already (its end's answer lost with a node, say): the teacher's slot may still be
          // taken in the roster if that node died between the two, so it is freed again here
          return store.end(chatId, caller.userId(), ChatState.ENDED)
              .recover(e -> Failure.codeOf(e) == Failure.CONFLICT ? releaseSlot(chatId).transform(v -> Future.failedFuture(e)) : Future.failedFuture(e));
        })
        .onSuccess(ended -> known.ended(chatId))
        .compose(ended -> releaseSlot(chatId).map(ended))
        .map(ended -> {
          pushEnded(ended);
          return new JsonObject();
        });
  }

  private Future<Void> releaseSlot(String chatId) {
    return vertx.eventBus()
        .request(RosterAddresses.RELEASE, new JsonObject().put("chatId", chatId),
            new DeliveryOptions().setSendTimeout(config.requestTimeout().toMillis()))
        .<Void>mapEmpty()
        .recover(e -> {
          // the chat has ended in the store; the slot stays taken until the teacher's departure releases it
          LOG.warn("roster did not release chat {}: {}", chatId, e.toString());
          return Future.succeededFuture();
        });
  }

  private Future<JsonObject> history(Message<Object> m) {
    Caller caller = Caller.of(m);
    JsonObject body = Json.body(m.body());
    String chatId = Json.requiredString(body, "chatId");
    long afterSeq = Json.optionalLong(body, "afterSeq", 0);
    if (afterSeq < 0) throw Failure.of(Failure.BAD_REQUEST, "afterSeq must not be negative");
    return readable(chatId, caller, true)
        .recover(e -> Failure.codeOf(e) == Failure.NOT_FOUND ? Future.succeededFuture(null) : Future.failedFuture(e))
        .compose(state -> store.history(chatId, afterSeq).compose(history -> {
          // No state, yet a history: the store may have lost the chat with its data and says so
          // (complete false, state unknown). Nothing of the chat is left to protect, so anyone
          // asking learns it; a chat that exists after all went through readable() or is refused.
          if (state == null && history.chat().known()) return Future.failedFuture(Failure.of(Failure.NOT_FOUND, "no such chat"));
          return Future.succeededFuture(history.toJson());
        }));
  }

  /** The chat's state when the caller may use it: a participant, or an admin when reading. */
  private Future<ChatState> readable(String chatId, Caller caller, boolean adminMayRead) {
    return store.state(chatId).compose(state -> {
      if (state == null) return Future.failedFuture(Failure.of(Failure.NOT_FOUND, "no such chat"));
      boolean allowed = state.chat().hasParticipant(caller.userId()) || (adminMayRead && caller.is(Role.ADMIN));
      if (!allowed) return Future.failedFuture(Failure.of(Failure.FORBIDDEN, "not a participant of this chat"));
      return Future.succeededFuture(state);
    });
  }

  private Future<JsonObject> open(MultiMap headers, JsonObject body) {
    Chat chat = new Chat(Json.requiredString(body, "chatId"), Json.requiredString(body, "teacherId"),
        Json.requiredString(body, "studentId"), System.currentTimeMillis());
    return store.create(chat).map(v -> {
      known.opened(chat);
      LOG.debug("chat {} started: teacher {} with student {}", chat.chatId(), chat.teacherId(), chat.studentId());
      push(chat, new JsonObject().put("type", "chat.started").put("chat", chat.toJson()));
      return chat.toJson();
    });
  }

  private Future<JsonObject> close(MultiMap headers, JsonObject body) {
    String chatId = Json.requiredString(body, "chatId");
    return store.end(chatId, Json.requiredString(body, "by"), ChatState.LEFT)
        .map(ended -> {
          known.ended(chatId);
          pushEnded(ended);
          return ended.toJson();
        });
  }

  private Future<JsonObject> states(Message<Object> m) {
    JsonArray ids = Json.body(m.body()).getJsonArray("chatIds", new JsonArray());
    List<String> chatIds = new ArrayList<>();
    ids.forEach(id -> chatIds.add(String.valueOf(id)));
    return store.states(chatIds).map(list -> {
      JsonArray out = new JsonArray();
      list.forEach(s -> out.add(s.toJson()));
      return new JsonObject().put("chats", out);
    });
  }

  private void pushEnded(ChatState ended) {
    Chat chat = ended.chat();
    LOG.debug("chat {} ended by {} ({}) after {} lines", chat.chatId(), ended.endedBy(), ended.reason(), ended.lastSeq());
    push(chat, new JsonObject()
        .put("type", "chat.ended").put("chatId", chat.chatId()).put("by", ended.endedBy()).put("reason", ended.reason()));
  }

  /** To every session of both participants: on one node in order with the chat's lines (see ChatLines), else over the bus. */
  private void push(Chat chat, JsonObject body) {
    if (lines != null) lines.push(chat, body);
    else pushes.toUsers(List.of(chat.teacherId(), chat.studentId()), body);
  }
}
