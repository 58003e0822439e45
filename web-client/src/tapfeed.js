// The console's traffic feed: the entries of `tutor.admin.tap` batches, newest last, in a ring of
// bounded size, so a console left open for hours holds a fixed amount of memory. A filter matches
// the address: plain text anywhere in it, or `^text` at its start. While paused the feed still
// keeps what arrives (and counts it), so that resuming shows the latest entries, not a gap.

export const DEFAULT_CAPACITY = 500;

export function matches(entry, filter) {
  const f = String(filter || '').trim();
  if (!f) return true;
  const address = String(entry.address || '');
  return f.startsWith('^') ? address.startsWith(f.slice(1)) : address.includes(f);
}

export class TapFeed {
  constructor({ capacity = DEFAULT_CAPACITY } = {}) {
    this.capacity = capacity;
    this.entries = [];
    this.paused = false;
    this.missed = 0; // entries that arrived while paused
    this.skipped = 0; // frames the servers sampled away, all nodes
    this.received = 0;
    this.nodes = new Map(); // node -> { entries, skipped, lastTs }
  }

  /** Adds one tap batch; returns the entries to show now (none while paused). */
  add(batch) {
    if (!batch || batch.type !== 'tap' || !Array.isArray(batch.entries)) return [];
    const node = this.nodes.get(batch.node) || { entries: 0, skipped: 0, lastTs: 0 };
    node.entries += batch.entries.length;
    node.skipped += Number(batch.skipped) || 0;
    node.lastTs = batch.ts || node.lastTs;
    this.nodes.set(batch.node, node);
    this.skipped += Number(batch.skipped) || 0;
    this.received += batch.entries.length;
    const fresh = batch.entries.slice().sort((a, b) => (a.ts || 0) - (b.ts || 0));
    this.entries.push(...fresh);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    if (this.paused) {
      this.missed += fresh.length;
      return [];
    }
    return fresh;
  }

  pause() {
    this.paused = true;
    this.missed = 0;
  }

  resume() {
    this.paused = false;
  }

  clear() {
    this.entries = [];
    this.missed = 0;
  }

  /** The kept entries that match the filter, oldest first, at most `limit` of the newest. */
  view(filter, limit = this.capacity) {
    const all = this.entries.filter((e) => matches(e, filter));
    return all.slice(Math.max(0, all.length - limit));
  }
}
