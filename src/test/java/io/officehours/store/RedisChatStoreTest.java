package io.officehours.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.History;
import io.officehours.common.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract against a real redis-server (AOF on, as in production), plus what only a shared,
 * external store has to get right: several nodes writing one chat, Redis killed, hung, restarted
 * with and without its data. Tests that break their Redis start their own.
 */
@DisplayName("RedisChatStore keeps the chat store contract and survives Redis failures")
class RedisChatStoreTest extends ChatStoreContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** Slack for a failure "within the timeout": scheduling on a busy two-core machine. */
  private static final long SLACK_MS = 700;

  private RedisServer shared;
  private Redis raw;

  @Override
  protected Future<RedisChatStore> openStore(Vertx vertx) throws Exception {
    shared = RedisServer.start();
    raw = Redis.createClient(vertx, shared.url());
    return RedisChatStore.create(vertx, options(shared.url()));
  }

  @Override
  protected void stopBackend() throws Exception {
    if (shared != null) shared.close();
  }

  @Override
  protected boolean beyondLastSeqIsIncomplete() {
    return true;
  }

  private static RedisStoreOptions options(String url) {
    return RedisStoreOptions.of(url).withTimeout(TIMEOUT);
  }

  @Test
  @DisplayName("a chat is the hash oh:chat:{id} and the stream oh:chat:{id}:log with ids <seq>-0; ending sets the expiry of both")
  void layoutAndExpiry() {
    RedisChatStore ttl = awaitFuture(RedisChatStore.create(vertx, options(shared.url()).withEndedTtl(Duration.ofSeconds(60))));
    try {
      Chat chat = newChat();
      String hash = "oh:chat:{" + chat.chatId() + "}";
      String log = hash + ":log";
      await(() -> ttl.create(chat));
      await(() -> ttl.append(chat.chatId(), chat.studentId(), "one", 1L));
      await(() -> ttl.append(chat.chatId(), chat.teacherId(), "two", 2L));
      assertEquals("hash", redis(Command.TYPE, hash).toString());
      assertEquals("stream", redis(Command.TYPE, log).toString());
      Response entries = redis(Command.XRANGE, log, "-", "+");
      assertEquals(List.of("1-0", "2-0"), List.of(entries.get(0).get(0).toString(), entries.get(1).get(0).toString()));
      assertEquals(-1L, redis(Command.PTTL, hash).toLong(), "an open chat never expires");
      await(() -> ttl.end(chat.chatId(), chat.teacherId(), "ended"));
      for (String key : List.of(hash, log)) {
        long left = redis(Command.PTTL, key).toLong();
        assertTrue(left > 50_000 && left <= 60_000, key + " expires in " + left + " ms");
      }
    } finally {
      awaitFuture(ttl.close());
    }
  }

  @Test
  @DisplayName("a line asked for again under the same id, from another node, gets its first seq and is stored once")
  void repeatedLineStoredOnce() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    assertEquals(1, await(() -> store.append(chat.chatId(), "s", "once", 1, "n1:7")).seq());
    assertEquals(2, await(() -> store.append(chat.chatId(), "s", "other", 2, "n1:8")).seq());
    assertEquals(1, await(() -> store.append(chat.chatId(), "s", "once", 3, "n1:7")).seq(), "the repeat gets the seq of the first");
    assertEquals(3, await(() -> store.append(chat.chatId(), "s", "third", 4, null)).seq());
    History history = await(() -> store.history(chat.chatId(), 0));
    assertEquals(List.of("once", "other", "third"), history.messages().stream().map(ChatMessage::text).toList());
    String hash = "oh:chat:{" + chat.chatId() + "}";
    assertTrue(redis(Command.HKEYS, hash).toString().contains("id:n1:7"));
    await(() -> store.end(chat.chatId(), "t", "ended"));
    assertFalse(redis(Command.HKEYS, hash).toString().contains("id:"), "an ended chat keeps no line ids");
  }

  @Test
  @DisplayName("two nodes firing 500 appends each at once on one chat: seqs 1..1000, no gap, no duplicate, each node's lines in its order")
  void twoNodesOneChat() {
    Vertx otherVertx = strictVertx();
    try {
      RedisChatStore other = awaitFuture(RedisChatStore.create(otherVertx, RedisStoreOptions.of(shared.url())));
      Context otherContext = otherVertx.getOrCreateContext();
      Chat chat = newChat();
      await(() -> store.create(chat));
      Future<List<ChatMessage>> fromA = onContext(context, () -> burst(store, chat, "a", 500));
      Future<List<ChatMessage>> fromB = onContext(otherContext, () -> burst(other, chat, "b", 500));
      List<ChatMessage> a = awaitFuture(fromA);
      List<ChatMessage> b = awaitFuture(fromB);

      Set<Long> seqs = new HashSet<>();
      a.forEach(m -> seqs.add(m.seq()));
      b.forEach(m -> seqs.add(m.seq()));
      assertEquals(1000, seqs.size(), "no seq given twice");
      assertEquals(1L, seqs.stream().mapToLong(Long::longValue).min().orElseThrow());
      assertEquals(1000L, seqs.stream().mapToLong(Long::longValue).max().orElseThrow());
      assertIncreasing(a);
      assertIncreasing(b);

      History history = await(() -> store.history(chat.chatId(), 0));
      assertSeqs(history, 1, 1000);
      assertTrue(history.complete());
      Map<Long, String> written = new HashMap<>();
      a.forEach(m -> written.put(m.seq(), m.text()));
      b.forEach(m -> written.put(m.seq(), m.text()));
      history.messages().forEach(m -> assertEquals(written.get(m.seq()), m.text()));
      awaitFuture(other.close());
    } finally {
      awaitFuture(otherVertx.close());
    }
  }

  @Test
  @DisplayName("Redis killed: every call fails with 503 at once; restarted with its AOF, the store recovers by itself and the log holds exactly the acknowledged lines, once each, in order")
  void killedAndRestarted() throws Exception {
    RedisServer server = RedisServer.start();
    RedisChatStore s = awaitFuture(RedisChatStore.create(vertx, options(server.url())));
    RedisServer again = null;
    try {
      Chat chat = newChat();
      await(() -> s.create(chat));
      List<String> acknowledged = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String text = "before " + i;
        acknowledged.add(await(() -> s.append(chat.chatId(), chat.studentId(), text, 1L)).text());
      }

      server.kill();
      for (int i = 0; i < 5; i++) {
        String text = "while down " + i;
        assertFailsFast(() -> s.append(chat.chatId(), chat.studentId(), text, 2L));
      }
      assertFailsFast(() -> s.state(chat.chatId()));
      assertFailsFast(() -> s.states(List.of(chat.chatId())));
      assertFailsFast(() -> s.history(chat.chatId(), 0));
      assertFailsFast(() -> s.create(newChat()));
      assertFailsFast(() -> s.end(chat.chatId(), chat.teacherId(), "ended"));

      again = RedisServer.start(server.port, server.dir);
      // no reconnect call, no retry: the next request simply works
      acknowledged.add(await(() -> s.append(chat.chatId(), chat.teacherId(), "after restart", 3L)).text());
      History history = await(() -> s.history(chat.chatId(), 0));
      assertTrue(history.complete());
      assertTrue(history.chat().open(), "the end() that failed did not happen");
      assertSeqs(history, 1, acknowledged.size());
      assertEquals(acknowledged, history.messages().stream().map(ChatMessage::text).toList());
    } finally {
      awaitFuture(s.close());
      server.close();
      if (again != null) again.close();
    }
  }

  @Test
  @DisplayName("Redis killed in the middle of a burst: after the restart every acknowledged line is there under its seq, once; the rest are only lines that failed in flight")
  void killedMidBurst() throws Exception {
    RedisServer server = RedisServer.start();
    RedisChatStore s = awaitFuture(RedisChatStore.create(vertx, options(server.url())));
    RedisServer again = null;
    try {
      Chat chat = newChat();
      await(() -> s.create(chat));
      CompletableFuture<Void> someAcknowledged = new CompletableFuture<>();
      AtomicInteger acks = new AtomicInteger();
      Future<List<Future<ChatMessage>>> burst = onContext(context, () -> {
        List<Future<ChatMessage>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          all.add(s.append(chat.chatId(), chat.studentId(), "burst " + i, i).onSuccess(m -> {
            if (acks.incrementAndGet() == 50) someAcknowledged.complete(null);
          }));
        }
        return Future.join(all).transform(done -> Future.succeededFuture(all));
      });
      someAcknowledged.get(10, TimeUnit.SECONDS);
      server.kill();
      List<Future<ChatMessage>> results = awaitFuture(burst);

      Map<Long, String> acknowledged = new HashMap<>();
      Set<String> failed = new HashSet<>();
      for (int i = 0; i < results.size(); i++) {
        Future<ChatMessage> r = results.get(i);
        if (r.succeeded()) acknowledged.put(r.result().seq(), r.result().text());
        else {
          assertEquals(Failure.UNAVAILABLE, ((ReplyException) r.cause()).failureCode());
          failed.add("burst " + i);
        }
      }
      assertTrue(acknowledged.size() >= 50);
      assertFalse(failed.isEmpty(), "the kill came in the middle of the burst");

      again = RedisServer.start(server.port, server.dir);
      History history = await(() -> s.history(chat.chatId(), 0));
      assertTrue(history.complete());
      assertSeqs(history, 1, history.messages().size());
      Set<String> seen = new HashSet<>();
      for (ChatMessage m : history.messages()) {
        assertTrue(seen.add(m.text()), "stored once: " + m.text());
        assertTrue(acknowledged.containsKey(m.seq()) ? acknowledged.get(m.seq()).equals(m.text()) : failed.contains(m.text()),
            "seq " + m.seq() + " holds " + m.text());
      }
      acknowledged.forEach((seq, text) -> assertEquals(text, history.messages().get((int) (seq - 1)).text()));
    } finally {
      awaitFuture(s.close());
      server.close();
      if (again != null) again.close();
    }
  }

  @Test
  @DisplayName("Redis restarted without its data: the old chat's history is incomplete with an unknown state, writes to it are 404 saying the data was lost, new chats work, and a node that connects later agrees")
  void restartedWithoutData() throws Exception {
    RedisServer server = RedisServer.start();
    RedisChatStore s = awaitFuture(RedisChatStore.create(vertx, options(server.url())));
    RedisServer empty = null;
    RedisChatStore late = null;
    try {
      Chat old = newChat();
      await(() -> s.create(old));
      for (int i = 0; i < 3; i++) await(() -> s.append(old.chatId(), old.studentId(), "gone", 1L));

      server.kill();
      empty = RedisServer.start(server.port, Files.createTempDirectory("oh-redis-empty-"));

      History history = await(() -> s.history(old.chatId(), 0));
      assertFalse(history.complete(), "a silent empty chat would hide the loss");
      assertTrue(history.messages().isEmpty());
      assertEquals(RedisChatStore.UNKNOWN, history.chat().reason());
      assertFalse(history.chat().open());
      assertFalse(await(() -> s.history(old.chatId(), 3)).complete());
      ReplyException lost = failure(() -> s.append(old.chatId(), old.studentId(), "into the void", 2L));
      assertEquals(Failure.NOT_FOUND, lost.failureCode());
      assertTrue(lost.getMessage().contains("lost its data"), lost.getMessage());
      assertEquals(Failure.NOT_FOUND, failureCode(() -> s.end(old.chatId(), old.teacherId(), "ended")));
      assertNull(await(() -> s.state(old.chatId())));

      late = awaitFuture(RedisChatStore.create(vertx, options(empty.url())));
      RedisChatStore lateStore = late;
      assertFalse(await(() -> lateStore.history(old.chatId(), 0)).complete());

      Chat fresh = newChat();
      await(() -> s.create(fresh));
      assertEquals(1, await(() -> lateStore.append(fresh.chatId(), fresh.studentId(), "new life", 3L)).seq());
      History freshHistory = await(() -> s.history(fresh.chatId(), 0));
      assertTrue(freshHistory.complete());
      assertSeqs(freshHistory, 1, 1);
    } finally {
      awaitFuture(s.close());
      if (late != null) awaitFuture(late.close());
      server.close();
      if (empty != null) empty.close();
    }
  }

  @Test
  @DisplayName("Redis hung (SIGSTOP): calls fail with 503 once the timeout is up, not later; resumed, the store carries on by itself")
  void hungRedis() throws Exception {
    RedisServer server = RedisServer.start();
    RedisChatStore s = awaitFuture(RedisChatStore.create(vertx, options(server.url())));
    try {
      Chat chat = newChat();
      await(() -> s.create(chat));
      ChatMessage first = await(() -> s.append(chat.chatId(), chat.studentId(), "first", 1L));

      server.pause();
      long started = System.nanoTime();
      AtomicInteger onCallerContext = new AtomicInteger();
      List<Future<ChatMessage>> stuck = awaitFuture(onContext(context, () -> {
        List<Future<ChatMessage>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          all.add(s.append(chat.chatId(), chat.studentId(), "in doubt " + i, 2L).andThen(ar -> {
            if (Vertx.currentContext() == context) onCallerContext.incrementAndGet();
          }));
        }
        return Future.join(all).transform(done -> Future.succeededFuture(all));
      }));
      assertEquals(3, onCallerContext.get(), "a timed-out write fails on the context that asked for it");
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      for (Future<ChatMessage> f : stuck) assertEquals(Failure.UNAVAILABLE, ((ReplyException) f.cause()).failureCode());
      assertTrue(waited >= TIMEOUT.toMillis() - 50 && waited < TIMEOUT.toMillis() + SLACK_MS, "failed after " + waited + " ms");
      assertFailsWithin(() -> s.state(chat.chatId()), TIMEOUT.toMillis() + SLACK_MS);

      server.resume();
      ChatMessage after = await(() -> s.append(chat.chatId(), chat.teacherId(), "after", 3L));
      History history = await(() -> s.history(chat.chatId(), 0));
      assertTrue(history.complete());
      assertSeqs(history, 1, after.seq());
      assertEquals(first, history.messages().get(0));
      assertEquals(after, history.messages().get((int) after.seq() - 1));
    } finally {
      awaitFuture(s.close());
      server.close();
    }
  }

  @Test
  @DisplayName("a log that lost lines behind the store's back (evicted, deleted) gives an incomplete history from before the hole")
  void missingLinesMakeHistoryIncomplete() {
    Chat wiped = newChat();
    await(() -> store.create(wiped));
    for (int i = 0; i < 5; i++) await(() -> store.append(wiped.chatId(), wiped.studentId(), "x", 1L));
    redis(Command.DEL, "oh:chat:{" + wiped.chatId() + "}:log");
    History none = await(() -> store.history(wiped.chatId(), 0));
    assertTrue(none.messages().isEmpty());
    assertFalse(none.complete());
    assertTrue(await(() -> store.history(wiped.chatId(), 5)).complete(), "nothing after 5 was ever written");

    Chat holed = newChat();
    await(() -> store.create(holed));
    for (int i = 0; i < 5; i++) await(() -> store.append(holed.chatId(), holed.studentId(), "y", 1L));
    redis(Command.XDEL, "oh:chat:{" + holed.chatId() + "}:log", "3-0");
    History withHole = await(() -> store.history(holed.chatId(), 0));
    assertEquals(List.of(1L, 2L, 4L, 5L), withHole.messages().stream().map(ChatMessage::seq).toList());
    assertFalse(withHole.complete());
    History afterHole = await(() -> store.history(holed.chatId(), 3));
    assertSeqs(afterHole, 4, 5);
    assertTrue(afterHole.complete());
  }

  @Test
  @DisplayName("a Redis that forgot the script (SCRIPT FLUSH, any restart) gets it again: EVALSHA falls back to EVAL")
  void scriptFlushed() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    redis(Command.SCRIPT, "FLUSH");
    assertEquals(1, await(() -> store.append(chat.chatId(), chat.studentId(), "still here", 1L)).seq());
    assertEquals(1, await(() -> store.history(chat.chatId(), 0)).messages().size());
  }

  @Test
  @DisplayName("create() fails within the timeout when Redis cannot be reached, so a node never serves without its store")
  void createFailsWithoutRedis() throws Exception {
    int nobody = RedisServer.freePort();
    long started = System.nanoTime();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> awaitFuture(RedisChatStore.create(vertx, options("redis://127.0.0.1:" + nobody))));
    assertTrue(e.getMessage().contains("cannot use Redis"), e.getMessage());
    assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(TIMEOUT.toMillis() + SLACK_MS));
  }

  // ---- helpers

  private static Future<List<ChatMessage>> burst(ChatStore on, Chat chat, String node, int count) {
    List<Future<ChatMessage>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) all.add(on.append(chat.chatId(), chat.studentId(), node + " " + i, i));
    return Future.all(all).map(done -> all.stream().map(Future::result).toList());
  }

  private static void assertIncreasing(List<ChatMessage> inCallOrder) {
    for (int i = 1; i < inCallOrder.size(); i++) {
      assertTrue(inCallOrder.get(i).seq() > inCallOrder.get(i - 1).seq(), "a node's lines keep their order: " + i);
    }
  }

  private <T> void assertFailsFast(Supplier<? extends Future<T>> call) {
    assertFailsWithin(call, SLACK_MS);
  }

  private <T> void assertFailsWithin(Supplier<? extends Future<T>> call, long ms) {
    long started = System.nanoTime();
    assertEquals(Failure.UNAVAILABLE, failureCode(call));
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(took < ms, "failed after " + took + " ms");
  }

  private Response redis(Command command, String... args) {
    Request request = Request.cmd(command);
    for (String a : args) request.arg(a);
    return await(() -> raw.send(request));
  }
}
