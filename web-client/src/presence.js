// Presence on the browser side: keeps the `tutor.presence` picture in sync and says who came and
// went. The server sends `presence.state` once after register, then `presence.diff`s; a diff that
// arrives before the first state is held and applied after it, so nothing is lost or doubled.
//
// State shape (as on the wire): { userId: { metas: [Meta, ...] } }, one meta per connection,
// Meta = { ref, node, role, status, onlineAt, prevRef? }. A status change arrives as a leave of the
// old meta and a join of a new one (new ref, prevRef = old ref) in the same diff.

const clone = (value) => JSON.parse(JSON.stringify(value));
const refsOf = (metas) => new Set(metas.map((m) => m.ref));

/**
 * Replaces the state with a full one; calls onJoin(id, current, newMetas) for metas that are new,
 * onLeave(id, current, leftMetas) for metas that are gone. Returns the new state (the input is not changed).
 */
export function syncState(currentState, newState, onJoin = () => {}, onLeave = () => {}) {
  const state = clone(currentState);
  const joins = {};
  const leaves = {};
  for (const [id, presence] of Object.entries(state)) {
    if (!newState[id]) leaves[id] = presence;
  }
  for (const [id, presence] of Object.entries(newState)) {
    const current = state[id];
    if (!current) {
      joins[id] = presence;
      continue;
    }
    const newRefs = refsOf(presence.metas);
    const curRefs = refsOf(current.metas);
    const joined = presence.metas.filter((m) => !curRefs.has(m.ref));
    const left = current.metas.filter((m) => !newRefs.has(m.ref));
    if (joined.length) joins[id] = { metas: joined };
    if (left.length) leaves[id] = { metas: left };
  }
  return syncDiff(state, { joins, leaves }, onJoin, onLeave);
}

/**
 * Applies a diff: joins first (metas added by ref, never twice), then leaves (metas removed by
 * ref; a user with no meta left is removed). Returns the new state.
 */
export function syncDiff(currentState, diff, onJoin = () => {}, onLeave = () => {}) {
  const state = clone(currentState);
  for (const [id, joined] of Object.entries(diff.joins || {})) {
    const current = state[id];
    const known = current ? refsOf(current.metas) : new Set();
    const fresh = joined.metas.filter((m) => !known.has(m.ref));
    state[id] = { metas: [...(current ? current.metas : []), ...fresh] };
    if (fresh.length) onJoin(id, current ? clone(current) : undefined, clone({ metas: fresh }));
  }
  for (const [id, left] of Object.entries(diff.leaves || {})) {
    const current = state[id];
    if (!current) continue;
    const gone = refsOf(left.metas);
    const remaining = current.metas.filter((m) => !gone.has(m.ref));
    const removed = current.metas.filter((m) => gone.has(m.ref));
    if (!removed.length) continue;
    if (remaining.length) state[id] = { metas: remaining };
    else delete state[id];
    onLeave(id, state[id] ? clone(state[id]) : undefined, clone({ metas: removed }));
  }
  return state;
}

/** The presences as an array, by default [{ id, metas }] in user id order; chooser(id, presence) maps each. */
export function list(state, chooser = (id, presence) => ({ id, metas: presence.metas })) {
  return Object.keys(state).sort().map((id) => chooser(id, state[id]));
}

/**
 * Stateful helper around the functions above for one `tutor.presence` subscription:
 *   const presence = new Presence();
 *   presence.onJoin((id, current, joined) => ...).onLeave(...).onSync(() => render(presence.list()));
 *   eventBus.registerHandler('tutor.presence', (err, msg) => presence.handle(msg.body));
 * Call reset() when the connection drops: the server sends a fresh state after the next register.
 */
export class Presence {
  constructor() {
    this.state = {};
    this.pending = [];
    this.synced = false;
    this.joinCallback = () => {};
    this.leaveCallback = () => {};
    this.syncCallback = () => {};
  }

  onJoin(callback) {
    this.joinCallback = callback;
    return this;
  }

  onLeave(callback) {
    this.leaveCallback = callback;
    return this;
  }

  onSync(callback) {
    this.syncCallback = callback;
    return this;
  }

  /** Feeds one body received on `tutor.presence`. */
  handle(body) {
    if (!body || typeof body !== 'object') return;
    if (body.type === 'presence.state') {
      this.state = syncState(this.state, body.presences || {}, this.joinCallback, this.leaveCallback);
      this.synced = true;
      const held = this.pending;
      this.pending = [];
      for (const diff of held) this.state = syncDiff(this.state, diff, this.joinCallback, this.leaveCallback);
      this.syncCallback();
    } else if (body.type === 'presence.diff') {
      if (!this.synced) {
        this.pending.push(body);
        return;
      }
      this.state = syncDiff(this.state, body, this.joinCallback, this.leaveCallback);
      this.syncCallback();
    }
  }

  reset() {
    this.synced = false;
    this.pending = [];
  }

  list(chooser) {
    return list(this.state, chooser);
  }

  /** Online users with this role (a user with several tabs counts once). */
  count(role) {
    return Object.values(this.state).filter((p) => p.metas.some((m) => m.role === role)).length;
  }
}
