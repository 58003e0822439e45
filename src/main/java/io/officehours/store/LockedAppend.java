package io.officehours.store;

import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import java.util.function.BiConsumer;

/**
 * A store that appends a line on the caller's thread, as one node's in-memory store can: the
 * straight path of a chat line, with no hand-off to another event loop.
 */
public interface LockedAppend {

  /**
   * Appends a line from {@code from} to an open chat it takes part in, then runs {@code then} with
   * the chat and the line while still holding the chat's lock, so that what {@code then} does for
   * the lines of one chat (answer, push) happens in seq order whatever the threads. Throws a
   * contract failure: 404 no such chat, 403 not a participant, 409 the chat has ended.
   */
  void append(String chatId, String from, String text, long ts, BiConsumer<Chat, ChatMessage> then);

  /** Runs {@code action} holding the chat's lock (or without one when there is no such chat). */
  void locked(String chatId, Runnable action);
}
