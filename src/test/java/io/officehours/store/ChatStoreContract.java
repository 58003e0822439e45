package io.officehours.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import io.officehours.chat.History;
import io.officehours.common.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ChatStore} promises, run against each implementation by a subclass. Store calls
 * are made on a Vert.x context, as the chat verticle makes them, with a strict blocked-thread
 * checker, and awaited from the test thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
abstract class ChatStoreContract {

  protected Vertx vertx;
  protected Context context;
  protected ChatStore store;

  /** The store under test, opened on {@code vertx}; may start what it needs (a server) first. */
  protected abstract Future<? extends ChatStore> openStore(Vertx vertx) throws Exception;

  /** Stops what {@link #openStore} started. */
  protected void stopBackend() throws Exception {}

  /**
   * Whether a history after a seq the chat never reached is reported incomplete: a store that can
   * lose data takes such a caller as proof that it went back in time; one that cannot, does not.
   */
  protected abstract boolean beyondLastSeqIsIncomplete();

  @BeforeAll
  void openStoreOnce() throws Exception {
    vertx = strictVertx();
    context = vertx.getOrCreateContext();
    Future<? extends ChatStore> opened = openStore(vertx);
    store = awaitFuture(opened);
  }

  @AfterAll
  void closeStore() throws Exception {
    try {
      if (store != null) await(store::close);
      if (vertx != null) awaitFuture(vertx.close());
    } finally {
      stopBackend();
    }
  }

  // ---- the contract

  @Test
  @DisplayName("a created chat is open, at lastSeq 0, with its participants and start time")
  void createThenState() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    ChatState state = await(() -> store.state(chat.chatId()));
    assertEquals(chat, state.chat());
    assertTrue(state.open());
    assertEquals(0, state.lastSeq());
    assertNull(state.endedBy());
    assertNull(state.reason());
  }

  @Test
  @DisplayName("the state of an unknown chat is null")
  void unknownState() {
    assertNull(await(() -> store.state(UUID.randomUUID().toString())));
  }

  @Test
  @DisplayName("creating a chat twice is a conflict (409)")
  void createTwice() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    assertEquals(Failure.CONFLICT, failureCode(() -> store.create(chat)));
  }

  @Test
  @DisplayName("states() returns the known chats in the order asked and leaves out unknown ones")
  void states() {
    Chat a = newChat();
    Chat b = newChat();
    await(() -> store.create(a));
    await(() -> store.create(b));
    await(() -> store.append(b.chatId(), b.studentId(), "hello", 1L));
    List<ChatState> states = await(() -> store.states(List.of(b.chatId(), UUID.randomUUID().toString(), a.chatId())));
    assertEquals(2, states.size());
    assertEquals(b.chatId(), states.get(0).chat().chatId());
    assertEquals(1, states.get(0).lastSeq());
    assertEquals(a.chatId(), states.get(1).chat().chatId());
    assertTrue(await(() -> store.states(List.of())).isEmpty());
  }

  @Test
  @DisplayName("appends get seq 1..n with no gap, and the state follows lastSeq")
  void appendGapless() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    for (int i = 1; i <= 25; i++) {
      String text = "line " + i;
      ChatMessage m = await(() -> store.append(chat.chatId(), chat.teacherId(), text, 1000L));
      assertEquals(i, m.seq());
      assertEquals(text, m.text());
    }
    assertEquals(25, await(() -> store.state(chat.chatId())).lastSeq());
  }

  @Test
  @DisplayName("an append to an unknown chat is 404")
  void appendUnknown() {
    assertEquals(Failure.NOT_FOUND, failureCode(() -> store.append(UUID.randomUUID().toString(), "s1", "hi", 1L)));
  }

  @Test
  @DisplayName("end() returns the ended state; appending to or ending an ended chat is 409; ending an unknown one is 404")
  void endRules() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    await(() -> store.append(chat.chatId(), chat.studentId(), "bye", 1L));
    ChatState ended = await(() -> store.end(chat.chatId(), chat.teacherId(), ChatState.ENDED));
    assertFalse(ended.open());
    assertEquals(chat, ended.chat());
    assertEquals(chat.teacherId(), ended.endedBy());
    assertEquals(ChatState.ENDED, ended.reason());
    assertEquals(1, ended.lastSeq());
    assertEquals(ended, await(() -> store.state(chat.chatId())));
    assertEquals(Failure.CONFLICT, failureCode(() -> store.append(chat.chatId(), chat.studentId(), "late", 2L)));
    assertEquals(Failure.CONFLICT, failureCode(() -> store.end(chat.chatId(), chat.studentId(), ChatState.LEFT)));
    assertEquals(Failure.NOT_FOUND, failureCode(() -> store.end(UUID.randomUUID().toString(), "t1", ChatState.ENDED)));
  }

  @Test
  @DisplayName("history after 0, after k, at lastSeq and beyond it returns the right lines in order")
  void historyRanges() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    int n = 10;
    for (int i = 1; i <= n; i++) {
      String text = "m" + i;
      await(() -> store.append(chat.chatId(), chat.studentId(), text, 100L + text.length()));
    }
    History all = await(() -> store.history(chat.chatId(), 0));
    assertSeqs(all, 1, n);
    assertTrue(all.complete());
    assertEquals(n, all.chat().lastSeq());
    History tail = await(() -> store.history(chat.chatId(), 7));
    assertSeqs(tail, 8, n);
    assertTrue(tail.complete());
    History none = await(() -> store.history(chat.chatId(), n));
    assertTrue(none.messages().isEmpty());
    assertTrue(none.complete());
    History beyond = await(() -> store.history(chat.chatId(), n + 5));
    assertTrue(beyond.messages().isEmpty());
    assertEquals(!beyondLastSeqIsIncomplete(), beyond.complete());
    assertTrue(await(() -> store.history(chat.chatId(), Long.MAX_VALUE)).messages().isEmpty());
    assertEquals(Failure.NOT_FOUND, failureCode(() -> store.history(UUID.randomUUID().toString(), 0)));
  }

  @Test
  @DisplayName("a new chat has an empty, complete history; an ended chat stays readable")
  void historyOfEmptyAndEnded() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    History empty = await(() -> store.history(chat.chatId(), 0));
    assertTrue(empty.messages().isEmpty());
    assertTrue(empty.complete());
    await(() -> store.append(chat.chatId(), chat.teacherId(), "only line", 5L));
    await(() -> store.end(chat.chatId(), chat.studentId(), ChatState.LEFT));
    History ended = await(() -> store.history(chat.chatId(), 0));
    assertSeqs(ended, 1, 1);
    assertTrue(ended.complete());
    assertFalse(ended.chat().open());
    assertEquals(ChatState.LEFT, ended.chat().reason());
  }

  @Test
  @DisplayName("lines come back exactly as written: sender, text (any Unicode, 4000 characters), time, chat")
  void messagesRoundTrip() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    List<String> texts = List.of("plain", "üñíçødé – “quotes” \"json\" {braces} \\ back", "emoji 🎓📚 and 中文",
        "two\nlines\r\nand a tab\t", "x".repeat(4000), "-- not lua ]] end", " ");
    List<ChatMessage> sent = new ArrayList<>();
    long ts = 1_700_000_000_123L;
    for (String text : texts) {
      String from = sent.size() % 2 == 0 ? chat.studentId() : chat.teacherId();
      long at = ts + sent.size();
      sent.add(await(() -> store.append(chat.chatId(), from, text, at)));
    }
    History history = await(() -> store.history(chat.chatId(), 0));
    assertEquals(sent, history.messages());
  }

  @Test
  @DisplayName("200 appends fired at once on one chat get seqs 1..200, each once, in the order they were asked")
  void concurrentAppendsOneStore() {
    Chat chat = newChat();
    await(() -> store.create(chat));
    List<ChatMessage> results = await(() -> {
      List<Future<ChatMessage>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) all.add(store.append(chat.chatId(), chat.studentId(), "burst " + i, i));
      return Future.all(all).map(done -> all.stream().map(Future::result).toList());
    });
    for (int i = 0; i < results.size(); i++) {
      assertEquals(i + 1, results.get(i).seq(), "append #" + i + " of one node keeps its place");
    }
    History history = await(() -> store.history(chat.chatId(), 0));
    assertSeqs(history, 1, 200);
    assertTrue(history.complete());
  }

  // ---- helpers

  protected static Chat newChat() {
    String id = UUID.randomUUID().toString();
    return new Chat(id, "t-" + id.substring(0, 8), "s-" + id.substring(0, 8), System.currentTimeMillis());
  }

  protected static void assertSeqs(History history, long first, long last) {
    assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), history.messages().stream().map(ChatMessage::seq).toList());
  }

  protected static Vertx strictVertx() {
    return Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
  }

  /** Runs a store call on the test's context, as a verticle would, and waits for its result. */
  protected <T> T await(Supplier<? extends Future<T>> call) {
    return await(context, call);
  }

  protected static <T> T await(Context on, Supplier<? extends Future<T>> call) {
    return awaitFuture(onContext(on, call));
  }

  protected static <T> Future<T> onContext(Context on, Supplier<? extends Future<T>> call) {
    Promise<T> result = Promise.promise();
    on.runOnContext(v -> {
      try {
        call.get().onComplete(result);
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return result.future();
  }

  protected static <T> T awaitFuture(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The contract code a call fails with; fails the test when the call succeeds. */
  protected <T> int failureCode(Supplier<? extends Future<T>> call) {
    return failure(call).failureCode();
  }

  protected <T> ReplyException failure(Supplier<? extends Future<T>> call) {
    try {
      T value = await(call);
      return fail("expected a failure, got " + value);
    } catch (ReplyException e) {
      assertNotNull(e.getMessage());
      return e;
    }
  }
}
