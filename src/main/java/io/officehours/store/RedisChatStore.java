package io.officehours.store;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import io.officehours.chat.History;
import io.officehours.common.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chats in Redis, shared by every node and kept across node and cluster restarts (as durable as
 * the Redis behind it: run it with {@code appendonly yes}).
 *
 * <h2>Layout</h2>
 * A chat is a hash {@code oh:chat:{id}} (chatId, teacherId, studentId, startedAt, state, lastSeq,
 * endedBy, reason) and a stream {@code oh:chat:{id}:log} with one entry per line, whose id is
 * {@code <seq>-0} and whose fields are from, text and ts.
 *
 * <p><b>Why a stream, not a list.</b> The entry id is the seq, so "history after seq n" is one
 * {@code XRANGE log (n+1)-0 +} that costs O(log N + returned) and reads the seq of every line back
 * from Redis itself: a gap (a lost or evicted entry) shows as a jump in ids, which is what the
 * completeness rule below checks. A list would address lines by position, which equals seq - 1 only
 * while nothing is ever missing, so it could not detect a hole, only shift every later line onto a
 * wrong seq; each element would also have to repeat its seq and field names inside a JSON string.
 * {@code XADD} with an explicit id refuses an id that is not above the last one, so a line can
 * never be stored twice under one seq or out of order, whatever happens to the counter. Memory is
 * no worse: streams pack entries into listpacks with the field names stored once per node and the
 * ids delta-encoded (measured on Redis 7.0: 1,000 lines of ~50 characters take 98 KB as a stream,
 * 116 KB as a list of JSON strings). Streams also give {@code XTRIM MINID} for a retention rule.
 *
 * <h2>One atomic step per write</h2>
 * Every write and every history read is one run of {@link ChatScript} ({@code EVALSHA}; {@code EVAL}
 * after a {@code NOSCRIPT}). An append checks that the chat exists and is open, takes
 * {@code lastSeq + 1}, adds the line and stores the new {@code lastSeq} with nothing in between, so
 * seqs have no gaps or duplicates however many nodes write to one chat. Its future succeeds only
 * when Redis has answered, that is after Redis applied it and (with AOF) wrote it to the file:
 * a line is never acknowledged before it is stored. With {@code appendfsync everysec} (the
 * default) an acknowledged line survives a crash of Redis, and up to a second of lines can be lost
 * with the machine; {@code appendfsync always} closes that second at some throughput. Ending a chat is one script too (404 unknown,
 * 409 already ended) and sets the expiry of both keys ({@link RedisStoreOptions#endedTtl()}).
 * The writes of one chat leave this node in call order ({@link WritesInOrder}).
 *
 * <h2>Completeness ({@link History#complete()})</h2>
 * The counter {@code lastSeq} and the lines are written in one step, so the log must hold every
 * seq in {@code (afterSeq, lastSeq]}. A history is complete when the lines returned are exactly
 * {@code afterSeq+1 .. lastSeq}, with no jump. It is incomplete when a line is missing (an entry or
 * the whole log evicted or deleted), and also when {@code afterSeq > lastSeq}: the caller has seen
 * a seq this store no longer knows, so the store went back in time (restored from an older copy).
 *
 * <p>Losing the whole dataset is detected through the <em>epoch</em>: a key {@code oh:epoch}
 * written the first time a dataset is used. Each store remembers the epoch it saw and sends it
 * with every script call; a script that finds no epoch while the caller knew one concludes that
 * Redis lost its data (restarted without persistence, flushed, failed over to an empty replica),
 * starts a new epoch, and writes {@code oh:lost} = the time of detection, which lives as long as
 * an ended chat would. While that marker exists, a chat that cannot be found may be one that was
 * lost, so: {@code history} answers {@code complete=false} with no messages and a placeholder
 * state whose reason is {@value #UNKNOWN} (participants unknown, not open); {@code append} and
 * {@code end} fail with 404 saying the store lost its data; {@code state} answers null as for any
 * unknown chat (it cannot name participants). A loss while no node is connected cannot be told
 * from a new installation: this is why Redis must persist (AOF), and why the check exists at all.
 *
 * <h2>Outages</h2>
 * Every operation is bounded by {@link RedisStoreOptions#timeout()}, waiting for a connection and
 * queueing behind the chat's earlier writes included, and then fails with 503 ("chat store
 * unavailable"); when Redis is down a connection is refused at once and the failure is immediate.
 * A write that timed out after it was sent is in doubt: Redis may still apply it, so the client,
 * told 503, may find the line in a later history. A write whose turn comes after its deadline, behind the chat's earlier
 * writes or behind a busy pool, is never sent. The pooled client opens a new connection for the next request after a connection
 * closed, so the store recovers by itself when Redis is back; a script lost by a Redis restart is
 * sent again through the {@code NOSCRIPT} fallback.
 *
 * <h2>Redis commands</h2>
 * create: 1 EVALSHA. append: 1 EVALSHA (the chat verticle adds 1 HMGET for its {@code state}
 * check, so 2 round trips per chat message). end: 1 EVALSHA. history: 1 EVALSHA. state: 1 HMGET.
 * states(n): n HMGET in one pipelined batch on one connection. A {@code NOSCRIPT} adds one EVAL.
 * Inside Redis an append runs GET epoch, GET lost, HMGET, XADD and HSET (with a line id, one HGET
 * more, and the HSET writes the id too).
 *
 * <p>Limits: one Redis (with replicas, or behind Sentinel), not a Redis Cluster, since a script
 * touches the store-wide epoch key and the chat's keys together. Run Redis with
 * {@code maxmemory-policy noeviction}: an evicted chat is detected, not prevented. Writes of one
 * chat from one node are one at a time, about one per round trip (thousands per second), far more
 * than two people type.
 */
public final class RedisChatStore implements ChatStore {

  private static final Logger LOG = LoggerFactory.getLogger(RedisChatStore.class);

  /** The reason of the placeholder state of a chat the store may have lost. */
  public static final String UNKNOWN = "unknown";

  private static final String[] FIELDS = {"chatId", "teacherId", "studentId", "startedAt", "state", "lastSeq", "endedBy", "reason"};
  private static final int OK = 0;
  private static final int OUT_OF_STEP = 500;

  private final Redis redis;
  private final RedisStoreOptions options;
  private final RedisKeys keys;
  private final WritesInOrder writes;
  private final Reachability reachability;
  private final long timeoutMs;
  /** The dataset this store works on; "" until the first answer. */
  private volatile String epoch = "";

  private RedisChatStore(Vertx vertx, Redis redis, RedisStoreOptions options) {
    this.redis = redis;
    this.options = options;
    this.keys = new RedisKeys(options.keyPrefix());
    this.writes = new WritesInOrder(vertx);
    this.reachability = new Reachability(redactedUrl(options.url()));
    this.timeoutMs = options.timeout().toMillis();
  }

  /**
   * Connects, caches the script and reads (or starts) the dataset's epoch: when this succeeds the
   * store is ready to serve. Fails when Redis cannot be reached within the timeout.
   */
  public static Future<RedisChatStore> create(Vertx vertx, RedisStoreOptions options) {
    Redis redis = Redis.createClient(vertx, options.toRedisOptions());
    RedisChatStore store = new RedisChatStore(vertx, redis, options);
    return store.start()
        .map(store)
        .recover(e -> redis.close().transform(closed -> Future.failedFuture(new IllegalStateException(
            "cannot use Redis at " + redactedUrl(options.url()) + " as the chat store: " + e.getMessage(), e))));
  }

  private Future<Void> start() {
    return ChatScript.load(redis)
        .compose(v -> ChatScript.run(redis::send, keys.forScript(""), List.of("init", "", lostTtl())))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(response -> {
          Reply reply = Reply.of(response);
          epoch = reply.epoch();
          LOG.info("chat store: Redis at {}, dataset epoch {}{}", redactedUrl(options.url()), epoch,
              reply.lostAt() != null ? ", data lost at " + Instant.ofEpochMilli(reply.lostAt()) : "");
          return null;
        });
  }

  @Override
  public Future<Void> create(Chat chat) {
    return script(deadline(), "create", chat.chatId(), chat.chatId(), chat.teacherId(), chat.studentId(), String.valueOf(chat.startedAt()))
        .compose(reply -> switch (reply.code()) {
          case OK -> Future.succeededFuture();
          case Failure.CONFLICT -> Future.failedFuture(Failure.of(Failure.CONFLICT, "chat exists already"));
          default -> Future.failedFuture(unexpected(reply));
        });
  }

  @Override
  public Future<ChatState> state(String chatId) {
    return onConnection(deadline(), connection -> connection.send(hmget(chatId))).map(RedisChatStore::stateOf);
  }

  @Override
  public Future<List<ChatState>> states(Collection<String> chatIds) {
    if (chatIds.isEmpty()) return Future.succeededFuture(List.of());
    List<Request> batch = new ArrayList<>(chatIds.size());
    chatIds.forEach(id -> batch.add(hmget(id)));
    return onConnection(deadline(), connection -> connection.batch(batch)).map(responses -> {
      List<ChatState> out = new ArrayList<>(responses.size());
      for (Response r : responses) {
        ChatState state = stateOf(r);
        if (state != null) out.add(state);
      }
      return out;
    });
  }

  @Override
  public Future<ChatMessage> append(String chatId, String from, String text, long ts) {
    return append(chatId, from, text, ts, null);
  }

  /** A line id is kept in the chat's hash ({@code id:<lineId>} -> seq) until the chat expires. */
  @Override
  public Future<ChatMessage> append(String chatId, String from, String text, long ts, String lineId) {
    return ordered(chatId, deadline -> script(deadline, "append", chatId, from, text, String.valueOf(ts), lineId == null ? "" : lineId))
        .compose(reply -> switch (reply.code()) {
          case OK -> Future.succeededFuture(new ChatMessage(chatId, reply.at(0).toLong(), from, text, ts));
          case Failure.NOT_FOUND -> Future.failedFuture(notFound(reply));
          case Failure.CONFLICT -> Future.failedFuture(Failure.of(Failure.CONFLICT, "the chat has ended"));
          default -> Future.failedFuture(unexpected(reply));
        });
  }

  @Override
  public Future<ChatState> end(String chatId, String by, String reason) {
    return ordered(chatId, deadline -> script(deadline, "end", chatId, by, reason, String.valueOf(options.endedTtl().toMillis())))
        .compose(reply -> switch (reply.code()) {
          case OK -> Future.succeededFuture(stateOf(reply.at(0)));
          case Failure.NOT_FOUND -> Future.failedFuture(notFound(reply));
          case Failure.CONFLICT -> Future.failedFuture(Failure.of(Failure.CONFLICT, "the chat has ended already"));
          default -> Future.failedFuture(unexpected(reply));
        });
  }

  @Override
  public Future<History> history(String chatId, long afterSeq) {
    long after = Math.max(0, Math.min(afterSeq, Long.MAX_VALUE - 1));
    return script(deadline(), "history", chatId, (after + 1) + "-0")
        .compose(reply -> switch (reply.code()) {
          case OK -> Future.succeededFuture(historyOf(chatId, after, stateOf(reply.at(0)), reply.at(1)));
          case Failure.NOT_FOUND -> reply.lostAt() != null
              ? Future.succeededFuture(new History(List.of(), false, unknownChat(chatId)))
              : Future.failedFuture(notFound(reply));
          default -> Future.failedFuture(unexpected(reply));
        });
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  /** The completeness rule of the class comment: exactly the seqs afterSeq+1 .. lastSeq, in order. */
  static boolean complete(long afterSeq, long lastSeq, List<ChatMessage> messages) {
    if (afterSeq > lastSeq) return false;
    long expected = afterSeq + 1;
    for (ChatMessage m : messages) {
      if (m.seq() != expected) return false;
      expected++;
    }
    return expected - 1 == lastSeq;
  }

  /**
   * The state a history shows for a chat that may have been lost with Redis's data: not open, no
   * participants, reason {@value #UNKNOWN}.
   */
  public static ChatState unknownChat(String chatId) {
    return new ChatState(new Chat(chatId, "", "", 0L), false, 0L, null, UNKNOWN); // = ChatState.unknown(chatId) once that exists
  }

  private History historyOf(String chatId, long afterSeq, ChatState state, Response entries) {
    List<ChatMessage> messages = new ArrayList<>(entries == null ? 0 : entries.size());
    if (entries != null) {
      for (Response entry : entries) messages.add(messageOf(chatId, entry));
    }
    boolean complete = complete(afterSeq, state.lastSeq(), messages);
    if (!complete) {
      LOG.warn("chat {}: history after {} is incomplete (lastSeq {}, {} lines found)", chatId, afterSeq, state.lastSeq(), messages.size());
    }
    return new History(List.copyOf(messages), complete, state);
  }

  /** A stream entry: {@code [id, [field, value, ...]]}, id {@code <seq>-0}. */
  private static ChatMessage messageOf(String chatId, Response entry) {
    String id = entry.get(0).toString();
    long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
    Response fields = entry.get(1);
    String from = null;
    String text = null;
    long ts = 0;
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      switch (fields.get(i).toString()) {
        case "from" -> from = fields.get(i + 1).toString();
        case "text" -> text = fields.get(i + 1).toString();
        case "ts" -> ts = fields.get(i + 1).toLong();
        default -> { }
      }
    }
    return new ChatMessage(chatId, seq, from, text, ts);
  }

  private Request hmget(String chatId) {
    Request request = Request.cmd(Command.HMGET).arg(keys.chat(chatId));
    for (String field : FIELDS) request.arg(field);
    return request;
  }

  /** The hash's fields in {@link #FIELDS} order, or null when the chat does not exist. */
  private static ChatState stateOf(Response fields) {
    if (fields == null || fields.size() < FIELDS.length || text(fields, 0) == null) return null;
    Chat chat = new Chat(text(fields, 0), text(fields, 1), text(fields, 2), Long.parseLong(text(fields, 3)));
    return new ChatState(chat, "open".equals(text(fields, 4)), Long.parseLong(text(fields, 5)), text(fields, 6), text(fields, 7));
  }

  private static String text(Response array, int index) {
    Response r = array.get(index);
    return r == null ? null : r.toString();
  }

  /** Runs one script call before the deadline and notes the epoch it reports. */
  private Future<Reply> script(long deadline, String op, String chatId, String... opArgs) {
    List<String> args = new ArrayList<>(3 + opArgs.length);
    args.add(op);
    args.add(epoch);
    args.add(lostTtl());
    args.addAll(List.of(opArgs));
    return onConnection(deadline, connection -> ChatScript.run(connection::send, keys.forScript(chatId), args)).map(response -> {
      Reply reply = Reply.of(response);
      noteEpoch(reply);
      return reply;
    });
  }

  private long deadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** Writes of one chat in call order; the deadline counts from the call, queueing included. */
  private <T> Future<T> ordered(String chatId, LongFunction<Future<T>> write) {
    long deadline = deadline();
    return writes.run(chatId, () -> write.apply(deadline))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(this::unavailable);
  }

  /**
   * Uses a pooled connection for one request (or one batch) and gives it back; fails with 503 when
   * Redis refuses, fails or has not answered by the deadline. A request whose connection comes
   * after the deadline is not sent: the caller was told 503, so it must not happen later. Only a
   * request already on the wire when time ran out is in doubt. A socket error on the connection
   * (Redis killed: "connection reset") goes to the one outage log line instead of the client's
   * default handler, which logs each one with its stack trace at ERROR.
   */
  private <T> Future<T> onConnection(long deadline, Function<RedisConnection, Future<T>> use) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) return unavailable(new TimeoutException("no turn before the deadline"));
    return redis.connect()
        .compose(connection -> System.nanoTime() - deadline < 0
            ? use.apply(connection.exceptionHandler(reachability::failed)).eventually(connection::close)
            : connection.close().transform(closed -> Future.<T>failedFuture(new TimeoutException("no free connection before the deadline"))))
        .timeout(left, TimeUnit.MILLISECONDS)
        .andThen(ar -> {
          if (ar.succeeded()) reachability.answered();
        })
        .recover(this::unavailable);
  }

  private <T> Future<T> unavailable(Throwable cause) {
    if (cause instanceof ReplyException) return Future.failedFuture(cause);
    reachability.failed(cause instanceof TimeoutException ? new TimeoutException("no answer within " + timeoutMs + " ms") : cause);
    return Future.failedFuture(Failure.of(Failure.UNAVAILABLE, "chat store unavailable"));
  }

  private void noteEpoch(Reply reply) {
    String known = epoch;
    if (!known.equals(reply.epoch())) {
      epoch = reply.epoch();
      if (!known.isEmpty()) {
        LOG.error("the chat store's Redis lost its data (epoch {} is gone, now {}{}): chats started before are lost",
            known, reply.epoch(), reply.lostAt() != null ? ", detected at " + Instant.ofEpochMilli(reply.lostAt()) : "");
      }
    }
  }

  private static ReplyException notFound(Reply reply) {
    if (reply.lostAt() == null) return Failure.of(Failure.NOT_FOUND, "no such chat");
    return Failure.of(Failure.NOT_FOUND, "no such chat: the chat store lost its data at "
        + Instant.ofEpochMilli(reply.lostAt()) + " and chats from before are gone");
  }

  private static ReplyException unexpected(Reply reply) {
    LOG.error("chat store script answered {}: {}", reply.code(), reply.size() > 3 ? reply.at(0) : "");
    return Failure.of(Failure.UNAVAILABLE, reply.code() == OUT_OF_STEP ? "chat store inconsistent" : "chat store unavailable");
  }

  private String lostTtl() {
    return String.valueOf(options.endedTtl().toMillis());
  }

  static String redactedUrl(String url) {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }

  /** The script's answer: {@code {code, epoch, lostAt, payload...}}. */
  private record Reply(int code, String epoch, Long lostAt, Response response) {
    static Reply of(Response r) {
      Response lost = r.get(2);
      return new Reply(r.get(0).toInteger(), r.get(1).toString(), lost == null ? null : lost.toLong(), r);
    }

    Response at(int payloadIndex) {
      return response.get(3 + payloadIndex);
    }

    int size() {
      return response.size();
    }
  }
}
