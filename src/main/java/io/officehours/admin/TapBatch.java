package io.officehours.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one node's tap saw in one window: at most {@value Tap#LIMIT} entries, and how many more
 * frames it let pass unrecorded. Pushed on {@link AdminAddresses#TAP} as
 * {@code {"type":"tap","node","ts","windowMs","limit","entries":[TapEntry...],"skipped"}}.
 */
public record TapBatch(String node, long ts, List<TapEntry> entries, long skipped) {

  public static final String TYPE = "tap";

  public boolean isEmpty() {
    return entries.isEmpty() && skipped == 0;
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (TapEntry e : entries) list.add(e.toJson());
    return new JsonObject().put("type", TYPE).put("node", node).put("ts", ts)
        .put("windowMs", Tap.WINDOW_MS).put("limit", Tap.LIMIT).put("entries", list).put("skipped", skipped);
  }
}
