package io.officehours.common;

import io.vertx.core.json.JsonObject;

/** Field readers for request bodies that fail with 400 and a plain message instead of a ClassCastException. */
public final class Json {
  private Json() {}

  public static JsonObject body(Object body) {
    if (body == null) return new JsonObject();
    if (body instanceof JsonObject o) return o;
    throw Failure.of(Failure.BAD_REQUEST, "body must be a JSON object");
  }

  public static String requiredString(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) throw Failure.of(Failure.BAD_REQUEST, "missing field '" + field + "'");
    if (!(v instanceof String s)) throw Failure.of(Failure.BAD_REQUEST, "field '" + field + "' must be a string");
    return s;
  }

  public static long optionalLong(JsonObject body, String field, long fallback) {
    Object v = body.getValue(field);
    if (v == null) return fallback;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw Failure.of(Failure.BAD_REQUEST, "field '" + field + "' must be an integer");
    }
    return n.longValue();
  }
}
