package io.officehours.store;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import io.officehours.chat.History;
import io.officehours.common.Failure;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The embedded default store: chats in the heap of one node. Nothing survives a restart. Ended
 * chats are kept for reading until {@code retainEnded} newer ones have ended, so a long-running
 * node does not grow without bound.
 *
 * <p>Thread-safe: the chat verticle opens, ends and reads chats on its event loop while the gateway
 * instances append lines on theirs ({@link LockedAppend}). Each chat is guarded by its own lock,
 * held by an event loop only for an append or a state change and the in-memory writes that follow
 * (no I/O, no wait), and contended only when both participants write at the same instant.
 */
public final class InMemoryChatStore implements ChatStore, LockedAppend {

  private final Map<String, Entry> chats = new ConcurrentHashMap<>();
  /** Guarded by itself. */
  private final LinkedHashMap<String, Boolean> endedOrder = new LinkedHashMap<>();
  private final int retainEnded;

  public InMemoryChatStore(int retainEnded) {
    this.retainEnded = retainEnded;
  }

  private static final class Entry {
    volatile ChatState state;
    final List<ChatMessage> log = new ArrayList<>();

    Entry(ChatState state) {
      this.state = state;
    }
  }

  @Override
  public Future<Void> create(Chat chat) {
    if (chats.putIfAbsent(chat.chatId(), new Entry(ChatState.opened(chat))) != null) {
      return Future.failedFuture(Failure.of(Failure.CONFLICT, "chat exists already"));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<ChatState> state(String chatId) {
    Entry e = chats.get(chatId);
    return Future.succeededFuture(e == null ? null : e.state);
  }

  @Override
  public Future<List<ChatState>> states(Collection<String> chatIds) {
    List<ChatState> out = new ArrayList<>();
    for (String id : chatIds) {
      Entry e = chats.get(id);
      if (e != null) out.add(e.state);
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<ChatMessage> append(String chatId, String from, String text, long ts) {
    Entry e = chats.get(chatId);
    if (e == null) return Future.failedFuture(Failure.of(Failure.NOT_FOUND, "no such chat"));
    synchronized (e) {
      if (!e.state.open()) return Future.failedFuture(Failure.of(Failure.CONFLICT, "the chat has ended"));
      return Future.succeededFuture(appendLocked(e, from, text, ts));
    }
  }

  @Override
  public void append(String chatId, String from, String text, long ts, BiConsumer<Chat, ChatMessage> then) {
    Entry e = chats.get(chatId);
    if (e == null) throw Failure.of(Failure.NOT_FOUND, "no such chat");
    synchronized (e) {
      Chat chat = e.state.chat();
      if (!chat.hasParticipant(from)) throw Failure.of(Failure.FORBIDDEN, "not a participant of this chat");
      if (!e.state.open()) throw Failure.of(Failure.CONFLICT, "the chat has ended");
      then.accept(chat, appendLocked(e, from, text, ts));
    }
  }

  @Override
  public void locked(String chatId, Runnable action) {
    Entry e = chats.get(chatId);
    if (e == null) {
      action.run();
      return;
    }
    synchronized (e) {
      action.run();
    }
  }

  private static ChatMessage appendLocked(Entry e, String from, String text, long ts) {
    // the chat's own id, not the one parsed from this frame: a kept line then holds no copy of it
    ChatMessage message = new ChatMessage(e.state.chat().chatId(), e.state.lastSeq() + 1, from, text, ts);
    e.log.add(message);
    e.state = e.state.withLastSeq(message.seq());
    return message;
  }

  @Override
  public Future<ChatState> end(String chatId, String by, String reason) {
    Entry e = chats.get(chatId);
    if (e == null) return Future.failedFuture(Failure.of(Failure.NOT_FOUND, "no such chat"));
    ChatState ended;
    synchronized (e) {
      if (!e.state.open()) return Future.failedFuture(Failure.of(Failure.CONFLICT, "the chat has ended already"));
      ended = e.state = e.state.ended(by, reason);
    }
    synchronized (endedOrder) {
      endedOrder.put(chatId, Boolean.TRUE);
      evictOldEnded();
    }
    return Future.succeededFuture(ended);
  }

  private void evictOldEnded() {
    Iterator<String> oldest = endedOrder.keySet().iterator();
    while (endedOrder.size() > retainEnded && oldest.hasNext()) {
      chats.remove(oldest.next());
      oldest.remove();
    }
  }

  @Override
  public Future<History> history(String chatId, long afterSeq) {
    Entry e = chats.get(chatId);
    if (e == null) return Future.failedFuture(Failure.of(Failure.NOT_FOUND, "no such chat"));
    synchronized (e) {
      // seq n sits at index n-1: the log has no gaps
      int from = (int) Math.min(Math.max(afterSeq, 0), e.log.size());
      return Future.succeededFuture(new History(List.copyOf(e.log.subList(from, e.log.size())), true, e.state));
    }
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
