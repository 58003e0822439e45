package io.officehours.admin;

import io.officehours.common.Failure;
import io.vertx.core.json.JsonObject;

/**
 * An operator's notice to a user: {@code {"type":"notice","text","from"}} on {@code tutor.user.<id>}.
 * {@code from} is always the admin who sent it, whatever the body said.
 */
public record Notice(String text, String from) {

  public static Notice fromJson(JsonObject body, String from, int maxText) {
    Object text = body.getValue("text");
    if (!(text instanceof String t) || t.isBlank()) throw Failure.of(Failure.BAD_REQUEST, "a notice needs a non-empty 'text'");
    if (t.codePointCount(0, t.length()) > maxText) {
      throw Failure.of(Failure.TOO_LARGE, "text is longer than " + maxText + " characters");
    }
    return new Notice(t, from);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", AdminAddresses.NOTICE).put("text", text).put("from", from);
  }
}
