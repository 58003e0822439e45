package io.officehours.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The traffic tap of one node: every gateway instance of the node records the frames it reads and
 * writes here, and the {@link AdminVerticle} drains it every {@value #WINDOW_MS} ms.
 *
 * <p>It must never slow the bridge down. While it is off, which is whenever no admin anywhere in
 * the cluster holds a fresh lease, {@link #record} is one volatile read. While it is on, the first
 * {@value #LIMIT} frames of a window are kept and the others only counted (one atomic increment),
 * and a frame's body is encoded only once it was kept, so a flood costs the bridge almost nothing
 * more and the admins a bounded batch.
 *
 * <p>It is shared by the node's gateway instances, which run on different event loops, and is
 * therefore thread-safe. That is the one exception to "state belongs to one verticle": the
 * alternative, a message per frame to an owning verticle, would cost the very thing the tap must
 * not cost.
 */
public final class Tap {

  /** Entries kept per node and window; the rest are counted as skipped. */
  public static final int LIMIT = 50;
  /** The window, and how often a node publishes its batch. */
  public static final long WINDOW_MS = 250;
  /** Body previews are cut to this many characters. */
  public static final int PREVIEW_CHARS = 120;
  /** A client's address is recorded before the gateway checks its length: cut, so an entry stays small. */
  static final int ADDRESS_CHARS = 256;

  private final String node;
  private volatile boolean on;
  private final AtomicInteger watchers = new AtomicInteger();
  private final AtomicLong seen = new AtomicLong();
  private final List<TapEntry> kept = new ArrayList<>(LIMIT);

  public Tap(String node) {
    this.node = node;
  }

  public String node() {
    return node;
  }

  /** Whether frames are being recorded now: the gateway's only cost while nobody taps. */
  public boolean on() {
    return on;
  }

  void start() {
    on = true;
  }

  /** Stops recording and forgets what was not drained. */
  synchronized void stop() {
    on = false;
    kept.clear();
    seen.set(0);
  }

  /** An admin socket of this node registered (+1) or dropped (-1) the tap. */
  public void watch(int delta) {
    watchers.addAndGet(delta);
  }

  /** Whether an admin socket of this node taps, so that this node must keep the lease fresh. */
  boolean watched() {
    return watchers.get() > 0;
  }

  /**
   * Records one frame when the tap is on and the window has room, else at most counts it.
   * {@code body} is a JSON value, or a String that is encoded already; it is encoded only when kept.
   */
  public void record(String direction, String kind, String address, String user, int size, Object body, int sockets) {
    if (!on) return;
    if (seen.incrementAndGet() > LIMIT) return;
    String a = address.length() <= ADDRESS_CHARS ? address : address.substring(0, ADDRESS_CHARS) + "…";
    TapEntry entry = new TapEntry(System.currentTimeMillis(), node, direction, kind, a, user, size, preview(body), sockets);
    synchronized (this) {
      if (on) kept.add(entry);
    }
  }

  /**
   * Takes the window's entries and starts a new window. An entry recorded while the window turned
   * may land in the next one; the cap here keeps a batch within {@value #LIMIT} all the same.
   */
  synchronized TapBatch drain(long now) {
    long total = seen.getAndSet(0);
    List<TapEntry> entries = List.copyOf(kept.size() <= LIMIT ? kept : kept.subList(0, LIMIT));
    kept.clear();
    return new TapBatch(node, now, entries, Math.max(0, total - entries.size()));
  }

  static String preview(Object body) {
    String text;
    if (body == null) text = "";
    else if (body instanceof String s) text = s;
    else if (body instanceof JsonObject o) text = o.encode();
    else if (body instanceof JsonArray a) text = a.encode();
    else text = String.valueOf(body);
    if (text.length() <= PREVIEW_CHARS) return text;
    int cut = Character.isHighSurrogate(text.charAt(PREVIEW_CHARS - 1)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
    return text.substring(0, cut) + "…";
  }
}
