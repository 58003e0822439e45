package io.officehours.chat;

import io.vertx.core.json.JsonObject;

/** A private chat between one teacher and one student ({@code Chat} in the contract). */
public record Chat(String chatId, String teacherId, String studentId, long startedAt) implements java.io.Serializable {

  public boolean hasParticipant(String userId) {
    return teacherId.equals(userId) || studentId.equals(userId);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("chatId", chatId)
        .put("teacherId", teacherId)
        .put("studentId", studentId)
        .put("startedAt", startedAt);
  }

  public static Chat fromJson(JsonObject json) {
    return new Chat(json.getString("chatId"), json.getString("teacherId"), json.getString("studentId"),
        json.getLong("startedAt"));
  }
}
