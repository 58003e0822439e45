package io.officehours.chat;

import io.vertx.core.json.JsonObject;

/**
 * A chat and where it stands ({@code ChatState} in the contract): open or ended, the last
 * {@code seq} written, and when ended who ended it and why ({@code "ended"} or {@code "left"}).
 * A store that lost its data answers for a chat it cannot find but may have had with
 * {@link #unknown}: state {@code "unknown"}, participants unknown (an extension of the contract).
 */
public record ChatState(Chat chat, boolean open, long lastSeq, String endedBy, String reason) implements java.io.Serializable {

  public static final String ENDED = "ended";
  public static final String LEFT = "left";
  /** The reason, and the wire state, of a chat a store may have lost with its data. */
  public static final String UNKNOWN = "unknown";

  public static ChatState opened(Chat chat) {
    return new ChatState(chat, true, 0, null, null);
  }

  /** A chat the store cannot find but may have lost: not open, nothing known but its id. */
  public static ChatState unknown(String chatId) {
    return new ChatState(new Chat(chatId, "", "", 0L), false, 0, null, UNKNOWN);
  }

  /** False for {@link #unknown}. */
  public boolean known() {
    return open || !UNKNOWN.equals(reason);
  }

  public ChatState withLastSeq(long seq) {
    return new ChatState(chat, open, seq, endedBy, reason);
  }

  public ChatState ended(String by, String why) {
    return new ChatState(chat, false, lastSeq, by, why);
  }

  public JsonObject toJson() {
    if (!known()) return new JsonObject().put("chatId", chat.chatId()).put("state", UNKNOWN).put("lastSeq", lastSeq);
    JsonObject json = chat.toJson().put("state", open ? "open" : "ended").put("lastSeq", lastSeq);
    if (!open) json.put("endedBy", endedBy).put("reason", reason);
    return json;
  }

  public static ChatState fromJson(JsonObject json) {
    if (UNKNOWN.equals(json.getString("state"))) return unknown(json.getString("chatId"));
    return new ChatState(Chat.fromJson(json), "open".equals(json.getString("state")),
        json.getLong("lastSeq", 0L), json.getString("endedBy"), json.getString("reason"));
  }
}
