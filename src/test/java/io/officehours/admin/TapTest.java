package io.officehours.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The tap records nothing while off, and at most LIMIT entries per window while on")
class TapTest {

  @Test
  @DisplayName("off: nothing is kept or counted")
  void offRecordsNothing() {
    Tap tap = new Tap("n1");
    for (int i = 0; i < 10; i++) tap.record(TapEntry.IN, "send", "tutor.me", "s1", 10, new JsonObject(), 0);
    TapBatch batch = tap.drain(1);
    assertTrue(batch.isEmpty());
  }

  @Test
  @DisplayName("on: the first LIMIT frames of a window are kept, the rest counted as skipped, and the next window starts empty")
  void boundedWindows() {
    Tap tap = new Tap("n1");
    tap.start();
    for (int i = 0; i < Tap.LIMIT * 3; i++) {
      tap.record(TapEntry.OUT, "push", "tutor.user.s" + i, "s" + i, 40, "{\"type\":\"chat.message\"}", 1);
    }
    TapBatch batch = tap.drain(5);
    assertEquals(Tap.LIMIT, batch.entries().size());
    assertEquals(2L * Tap.LIMIT, batch.skipped());
    assertEquals("tutor.user.s0", batch.entries().get(0).address());
    JsonObject json = batch.toJson();
    assertEquals("tap", json.getString("type"));
    assertEquals("n1", json.getString("node"));
    assertEquals(Tap.LIMIT, json.getInteger("limit"));
    assertEquals(1, json.getJsonArray("entries").getJsonObject(0).getInteger("sockets"));

    tap.record(TapEntry.IN, "send", "tutor.me", "s1", 10, null, 0);
    TapBatch next = tap.drain(6);
    assertEquals(1, next.entries().size());
    assertEquals(0, next.skipped());

    tap.stop();
    tap.record(TapEntry.IN, "send", "tutor.me", "s1", 10, null, 0);
    assertTrue(tap.drain(7).isEmpty());
  }

  @Test
  @DisplayName("previews are cut to PREVIEW_CHARS characters, never inside a surrogate pair")
  void previews() {
    assertEquals("", Tap.preview(null));
    assertEquals("{\"a\":1}", Tap.preview(new JsonObject().put("a", 1)));
    String longText = "x".repeat(Tap.PREVIEW_CHARS - 1) + "😀" + "y".repeat(50);
    String cut = Tap.preview(longText);
    assertEquals(Tap.PREVIEW_CHARS, cut.length(), "cut before the pair, plus the ellipsis");
    assertTrue(cut.endsWith("…"));
  }
}
