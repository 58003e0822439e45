package io.officehours.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client frame, parsed once with a streaming parser: the four fields the bridge reads, and
 * nothing built for any other field. Values come out as Vert.x's own decoder gives them (strings,
 * numbers, booleans; an object as a {@link JsonObject}, an array as a {@link JsonArray}), so the
 * checks that follow see what they always saw.
 */
record InboundFrame(Object type, Object address, Object replyAddress, Object body) {

  /**
   * The frame, or null when the text is JSON but not an object. Throws {@link DecodeException} for
   * text that is not JSON, trailing garbage included.
   */
  static InboundFrame parse(String text) {
    try (JsonParser p = JacksonCodec.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        // rare: tell "valid JSON but no object" from "no JSON" as Vert.x's decoder does
        io.vertx.core.json.Json.decodeValue(text);
        return null;
      }
      Object type = null;
      Object address = null;
      Object replyAddress = null;
      Object body = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken token = p.nextToken();
        switch (name) {
          case "type" -> type = wrap(value(p, token));
          case "address" -> address = wrap(value(p, token));
          case "replyAddress" -> replyAddress = wrap(value(p, token));
          case "body" -> body = wrap(value(p, token));
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) throw new DecodeException("not one JSON object");
      return new InboundFrame(type, address, replyAddress, body);
    } catch (IOException e) {
      throw new DecodeException("Failed to decode: " + e.getMessage());
    }
  }

  private static Object wrap(Object value) {
    if (value instanceof Map<?, ?> map) return new JsonObject(cast(map));
    if (value instanceof List<?> list) return new JsonArray(list);
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static Object value(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) map.put(name, value(p, p.nextToken()));
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) list.add(value(p, t));
        yield list;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new DecodeException("unexpected token " + token);
    };
  }
}
