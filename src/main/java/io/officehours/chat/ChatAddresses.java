package io.officehours.chat;

/** Addresses served by the chat capability. */
public final class ChatAddresses {
  /** Contract: a participant writes a line; reply {@code {"seq": n}}. */
  public static final String SEND = "tutor.chat.send";
  /** Contract: the chat's teacher ends it; reply {@code {}}. */
  public static final String END = "tutor.chat.end";
  /** Contract: a participant or admin reads messages after {@code afterSeq}. */
  public static final String HISTORY = "tutor.chat.history";

  /** Internal (roster to chat): open a chat for a teacher and a student; reply: the Chat. */
  public static final String OPEN = "tutor.internal.chat.open";
  /** Internal (roster to chat): end a chat because a participant left; reply: the ChatState. */
  public static final String CLOSE = "tutor.internal.chat.close";
  /** Internal: the states of the chats named in {@code chatIds}; reply {@code {"chats": [...]}}. */
  public static final String STATES = "tutor.internal.chat.states";

  /** Internal (chat to chat, across nodes): writes forwarded to the node that owns a chat. */
  public static String node(String nodeId) {
    return "tutor.internal.chat.node." + nodeId;
  }

  private ChatAddresses() {}
}
