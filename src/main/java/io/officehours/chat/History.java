package io.officehours.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply to {@code tutor.chat.history}: messages after a seq in order, the chat's state, and
 * whether the store can prove nothing after that seq is missing.
 */
public record History(List<ChatMessage> messages, boolean complete, ChatState chat) implements java.io.Serializable {

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    messages.forEach(m -> array.add(m.toJson()));
    return new JsonObject().put("messages", array).put("complete", complete).put("chat", chat.toJson());
  }
}
