package io.officehours.chat;

import io.vertx.core.json.JsonObject;

/**
 * A chat and where it stands ({@code ChatState} in the contract): open or ended, the last
 * {@code seq} written, and when ended who ended it and why ({@code "ended"} or {@code "left"}).
 */
public record ChatState(Chat chat, boolean open, long lastSeq, String endedBy, String reason) implements java.io.Serializable {

  public static final String ENDED = "ended";
  public static final String LEFT = "left";

  public static ChatState opened(Chat chat) {
    return new ChatState(chat, true, 0, null, null);
  }

  public ChatState withLastSeq(long seq) {
    return new ChatState(chat, open, seq, endedBy, reason);
  }

  public ChatState ended(String by, String why) {
    return new ChatState(chat, false, lastSeq, by, why);
  }

  public JsonObject toJson() {
    JsonObject json = chat.toJson().put("state", open ? "open" : "ended").put("lastSeq", lastSeq);
    if (!open) json.put("endedBy", endedBy).put("reason", reason);
    return json;
  }

  public static ChatState fromJson(JsonObject json) {
    return new ChatState(Chat.fromJson(json), "open".equals(json.getString("state")),
        json.getLong("lastSeq", 0L), json.getString("endedBy"), json.getString("reason"));
  }
}
