package io.officehours.store;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import io.officehours.chat.History;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;

/**
 * Where chats and their logs live. The store is the single authority on {@code seq}: it assigns
 * them at append time, so they have no gaps whatever the number of writers, and a future that
 * succeeded means the line is stored (a reply is never sent for a line the store does not have).
 *
 * <p>Failures use the contract codes ({@link io.officehours.common.Failure}): 404 for an unknown
 * chat, 409 for a write to or end of an ended chat, 503 when the store is unreachable.
 */
public interface ChatStore {

  Future<Void> create(Chat chat);

  /** The chat's state, or null when there is no such chat. */
  Future<ChatState> state(String chatId);

  Future<List<ChatState>> states(Collection<String> chatIds);

  /** Appends a line to an open chat and returns it with its seq. */
  Future<ChatMessage> append(String chatId, String from, String text, long ts);

  /**
   * The same, for a line that may be asked for again under the same {@code lineId} (its owner
   * died before answering, and another node writes it): a store that remembers recent ids answers
   * a repeat with the seq it gave the first time instead of storing the line twice. The others
   * store it again.
   */
  default Future<ChatMessage> append(String chatId, String from, String text, long ts, String lineId) {
    return append(chatId, from, text, ts);
  }

  /** Ends an open chat; fails with 409 when it has ended already. */
  Future<ChatState> end(String chatId, String by, String reason);

  /** Messages with seq above {@code afterSeq}, in order; 404 for an unknown chat. */
  Future<History> history(String chatId, long afterSeq);

  Future<Void> close();
}
