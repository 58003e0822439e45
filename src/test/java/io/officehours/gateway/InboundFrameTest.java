package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A client frame is parsed once, as Vert.x's decoder would read the fields the bridge uses")
class InboundFrameTest {

  @Test
  @DisplayName("the four fields, the body as a JsonObject with nested values; other fields skipped")
  void fields() {
    InboundFrame f = InboundFrame.parse("{\"type\":\"send\",\"headers\":{\"x\":[1,{\"y\":2}]},\"address\":\"tutor.chat.send\","
        + "\"body\":{\"chatId\":\"c1\",\"text\":\"h\\u00e9\\\"\",\"n\":12345678901,\"f\":1.5,\"ok\":true,\"none\":null,\"list\":[1,\"a\"],\"o\":{\"k\":\"v\"}},"
        + "\"replyAddress\":\"r.1\"}");
    assertEquals("send", f.type());
    assertEquals("tutor.chat.send", f.address());
    assertEquals("r.1", f.replyAddress());
    JsonObject body = assertInstanceOf(JsonObject.class, f.body());
    assertEquals(new JsonObject("{\"chatId\":\"c1\",\"text\":\"hé\\\"\",\"n\":12345678901,\"f\":1.5,\"ok\":true,\"none\":null,"
        + "\"list\":[1,\"a\"],\"o\":{\"k\":\"v\"}}"), body);
    assertEquals("v", body.getJsonObject("o").getString("k"));
    assertEquals(12345678901L, body.getLong("n"));
  }

  @Test
  @DisplayName("a repeated field: the last one wins, as in a JsonObject")
  void lastWins() {
    assertEquals("register", InboundFrame.parse("{\"type\":\"send\",\"type\":\"register\"}").type());
  }

  @Test
  @DisplayName("non-string fields and non-object bodies come through for the bridge to refuse")
  void wrongTypes() {
    InboundFrame f = InboundFrame.parse("{\"type\":7,\"address\":[\"a\"],\"body\":[1]}");
    assertEquals(7, f.type());
    assertInstanceOf(JsonArray.class, f.address());
    assertInstanceOf(JsonArray.class, f.body());
    assertNull(InboundFrame.parse("{}").type());
  }

  @Test
  @DisplayName("valid JSON that is not an object gives null; text that is not one JSON value throws")
  void notAnObject() {
    assertNull(InboundFrame.parse("[1,2]"));
    assertNull(InboundFrame.parse("\"send\""));
    assertThrows(DecodeException.class, () -> InboundFrame.parse("{\"type\":\"ping\"} {}"));
    assertThrows(DecodeException.class, () -> InboundFrame.parse("{\"type\":\"ping\""));
    assertThrows(DecodeException.class, () -> InboundFrame.parse("{\"type\":}"));
    assertThrows(DecodeException.class, () -> InboundFrame.parse("[1,"));
    assertThrows(DecodeException.class, () -> InboundFrame.parse(""));
  }
}
