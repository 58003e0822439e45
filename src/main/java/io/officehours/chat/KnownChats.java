package io.officehours.chat;

import io.officehours.common.Failure;
import io.officehours.store.ChatStore;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The chats whose writes this node has handled, by id: who their participants are, which never
 * changes, so a line needs no state read from the store once its chat is known here. Whether the
 * chat is still open is the store's to say, atomically with the append (404, 409).
 *
 * <p>Each entry is the lookup itself, so lines that arrive while a chat's state is still being
 * read wait on that one read and reach the store in the order they came. Used on the chat
 * verticle's event loop only. The least recently used entries go past {@code capacity}: a chat
 * that moved to another node (its partition did) is not ended here and would otherwise stay.
 */
final class KnownChats {

  private final ChatStore store;
  private final Map<String, Future<Chat>> chats;

  KnownChats(ChatStore store, int capacity) {
    this.store = store;
    this.chats = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Future<Chat>> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The chat, from here when known, else read once from the store; 404 when there is none. */
  Future<Chat> get(String chatId) {
    Future<Chat> known = chats.get(chatId);
    if (known != null) return known;
    Future<Chat> lookup = store.state(chatId).map(state -> {
      if (state == null) throw Failure.of(Failure.NOT_FOUND, "no such chat");
      return state.chat();
    });
    chats.put(chatId, lookup);
    // a failed read (no such chat, the store unavailable) is not kept: the next line asks again
    lookup.onFailure(e -> chats.remove(chatId, lookup));
    return lookup;
  }

  /** A chat opened here. */
  void opened(Chat chat) {
    chats.put(chat.chatId(), Future.succeededFuture(chat));
  }

  /** A chat ended here: no more lines to check. */
  void ended(String chatId) {
    chats.remove(chatId);
  }

  int size() {
    return chats.size();
  }
}
