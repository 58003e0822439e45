package io.officehours.store;

import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/** One chat and its lines, as one replicated entry of the cluster's chat map. */
final class ChatLog implements Serializable {
  /** Line ids remembered per chat: more than a sender can have in flight when an owner dies. */
  static final int RECENT_IDS = 512;

  ChatState state;
  final ArrayList<ChatMessage> lines = new ArrayList<>();
  /** The ids of the last lines and their seqs, oldest first: a repeat gets its first seq back. */
  final LinkedHashMap<String, Long> recentIds = new LinkedHashMap<>();

  /** The seq a line id was given, or null. */
  Long seqOf(String lineId) {
    return lineId == null ? null : recentIds.get(lineId);
  }

  void remember(String lineId, long seq) {
    if (lineId == null) return;
    recentIds.put(lineId, seq);
    if (recentIds.size() > RECENT_IDS) recentIds.remove(recentIds.keySet().iterator().next());
  }

  ChatLog(ChatState state) {
    this.state = state;
  }
}
