package io.officehours.loadtest;

import io.vertx.core.json.JsonObject;

/** An {@code err} frame from the server, as an exception a Future can fail with. */
public final class BridgeError extends RuntimeException {
  private final int code;

  public BridgeError(int code, String message) {
    super(code + ": " + message, null, false, false);
    this.code = code;
  }

  public static BridgeError of(JsonObject frame) {
    return new BridgeError(frame.getInteger("failureCode", 0), frame.getString("message", String.valueOf(frame.getValue("body"))));
  }

  public int code() {
    return code;
  }
}
