package io.officehours.store;

import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import java.io.Serializable;
import java.util.ArrayList;

/** One chat and its lines, as one replicated entry of the cluster's chat map. */
final class ChatLog implements Serializable {
  ChatState state;
  final ArrayList<ChatMessage> lines = new ArrayList<>();

  ChatLog(ChatState state) {
    this.state = state;
  }
}
