package io.officehours.presence;

import io.vertx.core.json.JsonObject;

/**
 * One connection of a user ({@code Meta} in the contract). {@code ref} names this version of the
 * meta: a status change makes a new meta with a new ref whose {@code prevRef} is the old one, so a
 * client applying a diff (joins, then leaves by ref) replaces it in place.
 */
public record Meta(String ref, String node, String role, String status, long onlineAt, String prevRef)
    implements java.io.Serializable {

  public Meta withStatus(String newStatus, String newRef) {
    return new Meta(newRef, node, role, newStatus, onlineAt, ref);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("ref", ref).put("node", node).put("role", role).put("status", status).put("onlineAt", onlineAt);
    if (prevRef != null) json.put("prevRef", prevRef);
    return json;
  }
}
