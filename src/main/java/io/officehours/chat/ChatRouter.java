package io.officehours.chat;

/**
 * Which node handles the writes of a chat. Every line, start and end of one chat is handled by one
 * node, which also pushes them, so the pushes of a chat leave one node in seq order and reach each
 * other node in that order (the event bus keeps the order between two nodes).
 */
@FunctionalInterface
public interface ChatRouter {

  /** A single node handles every chat itself. */
  ChatRouter LOCAL = chatId -> null;

  /** The node id that must handle this chat, or null when it is this node. */
  String ownerOf(String chatId);

  /** The id of a chat opened on this node: one this node handles, where the router can arrange it. */
  default String newChatId() {
    return java.util.UUID.randomUUID().toString();
  }
}
