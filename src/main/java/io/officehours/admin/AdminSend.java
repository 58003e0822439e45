package io.officehours.admin;

import io.officehours.common.Caller;
import io.officehours.common.Failure;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * A validated {@code tutor.admin.send} request: what to put on the event bus, where, and how.
 *
 * @param address   the event-bus address
 * @param body      a JSON value the event bus can carry (object, array, string, number, boolean, null)
 * @param headers   message headers to add; identity headers are dropped here and set from the caller
 * @param publish   publish (every consumer, no reply) instead of a request (one consumer, one reply)
 * @param timeoutMs how long a request waits for its reply
 */
public record AdminSend(String address, Object body, JsonObject headers, boolean publish, long timeoutMs) {

  /** The longest wait an admin may ask for; the gateway waits a little longer for the answer. */
  public static final long MAX_TIMEOUT_MS = 10_000;
  static final int MAX_HEADERS = 32;
  /** The gateway attaches the caller as headers with this prefix (see {@link Caller}): never taken from a client. */
  private static final String IDENTITY_PREFIX = "oh-";

  /** Reads and checks a request body; anything wrong is a 400 in plain words. */
  public static AdminSend fromJson(JsonObject json, int maxAddressLength, long defaultTimeoutMs) {
    Object address = json.getValue("address");
    if (!(address instanceof String a) || a.isBlank() || a.length() > maxAddressLength) {
      throw bad("'address' must be a string of 1 to " + maxAddressLength + " characters");
    }
    Object body = json.containsKey("body") ? json.getValue("body") : new JsonObject();
    if (!(body == null || body instanceof JsonObject || body instanceof JsonArray || body instanceof String
        || body instanceof Boolean || body instanceof Integer || body instanceof Long || body instanceof Double)) {
      throw bad("'body' must be a JSON object, array, string, number (that fits a long or a double), boolean or null");
    }
    Object headers = json.getValue("headers");
    if (headers != null && !(headers instanceof JsonObject)) throw bad("'headers' must be an object of strings");
    JsonObject h = headers == null ? new JsonObject() : (JsonObject) headers;
    if (h.size() > MAX_HEADERS) throw bad("at most " + MAX_HEADERS + " headers");
    for (Map.Entry<String, Object> e : h) {
      if (!(e.getValue() instanceof String)) throw bad("header '" + e.getKey() + "' must be a string");
    }
    Object publish = json.getValue("publish");
    if (publish != null && !(publish instanceof Boolean)) throw bad("'publish' must be true or false");
    Object timeout = json.getValue("timeoutMs");
    long timeoutMs = Math.min(defaultTimeoutMs, MAX_TIMEOUT_MS);
    if (timeout != null) {
      if (!(timeout instanceof Integer || timeout instanceof Long) || ((Number) timeout).longValue() < 1
          || ((Number) timeout).longValue() > MAX_TIMEOUT_MS) {
        throw bad("'timeoutMs' must be an integer from 1 to " + MAX_TIMEOUT_MS);
      }
      timeoutMs = ((Number) timeout).longValue();
    }
    return new AdminSend(a, body, h, Boolean.TRUE.equals(publish), timeoutMs);
  }

  /**
   * The options of the message: the admin's headers without any identity header, then the admin's
   * own identity, so a service that reads {@link Caller#of} sees the admin, whatever the form said.
   */
  public DeliveryOptions deliveryOptions(Caller caller) {
    DeliveryOptions options = caller.toDeliveryOptions(timeoutMs);
    for (Map.Entry<String, Object> e : headers) {
      if (!e.getKey().toLowerCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) options.addHeader(e.getKey(), (String) e.getValue());
    }
    return options;
  }

  /** Identity headers the form tried to set, which were dropped. */
  public java.util.List<String> droppedHeaders() {
    return headers.fieldNames().stream().filter(n -> n.toLowerCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)).sorted().toList();
  }

  private static RuntimeException bad(String message) {
    return Failure.of(Failure.BAD_REQUEST, message);
  }
}
