package io.officehours.ops;

import io.vertx.core.json.JsonObject;

/**
 * Frames per second from two running totals, measured between samples at least a second apart;
 * the first window starts when the node does, so the first answer is the average since start.
 */
final class Throughput {

  private static final long MIN_WINDOW_MS = 1000;

  private long at = System.currentTimeMillis();
  private long in;
  private long out;
  private double inPerSec;
  private double outPerSec;

  synchronized JsonObject sample(long now, long totalIn, long totalOut) {
    if (now - at >= MIN_WINDOW_MS) {
      double seconds = (now - at) / 1000.0;
      inPerSec = (totalIn - in) / seconds;
      outPerSec = (totalOut - out) / seconds;
      at = now;
      in = totalIn;
      out = totalOut;
    }
    return new JsonObject().put("framesIn", totalIn).put("framesOut", totalOut)
        .put("inPerSec", Math.round(inPerSec * 10) / 10.0).put("outPerSec", Math.round(outPerSec * 10) / 10.0);
  }
}
