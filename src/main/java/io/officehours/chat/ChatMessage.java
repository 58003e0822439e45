package io.officehours.chat;

import io.vertx.core.json.JsonObject;

/** One line of a chat ({@code Message} in the contract); {@code seq} starts at 1 with no gaps. */
public record ChatMessage(String chatId, long seq, String from, String text, long ts) implements java.io.Serializable {

  public JsonObject toJson() {
    return new JsonObject()
        .put("chatId", chatId)
        .put("seq", seq)
        .put("from", from)
        .put("text", text)
        .put("ts", ts);
  }

  public static ChatMessage fromJson(JsonObject json) {
    return new ChatMessage(json.getString("chatId"), json.getLong("seq"), json.getString("from"),
        json.getString("text"), json.getLong("ts"));
  }
}
