package io.officehours.gateway;

import io.vertx.core.json.JsonObject;

/** The server's frames of the bridge protocol, encoded once so a push to many sockets costs one encoding. */
final class Frames {
  /** Errors from the gateway itself and from services alike carry this failureType. */
  static final String FAILURE_TYPE = "RECIPIENT_FAILURE";

  private Frames() {}

  /** A {@code rec} frame up to its body: the body and a closing brace complete it. */
  static String recPrefix(String address) {
    return "{\"type\":\"rec\",\"address\":" + quote(address) + ",\"body\":";
  }

  /** A {@code rec} frame around a body that is JSON-encoded already. */
  static String rec(String address, String encodedBody) {
    return "{\"type\":\"rec\",\"address\":" + quote(address) + ",\"body\":" + encodedBody + "}";
  }

  static String rec(String address, JsonObject body) {
    return rec(address, body.encode());
  }

  /** An {@code err} frame; {@code address} is the reply address (or registered address) it answers, when there is one. */
  static String err(String address, int code, String message) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (address != null) frame.put("address", address);
    return frame.put("failureCode", code).put("failureType", FAILURE_TYPE).put("message", message).encode();
  }

  private static String quote(String s) {
    return io.vertx.core.json.Json.encode(s);
  }
}
