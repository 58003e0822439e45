// Reconnect delays: exponential from `min` up to `max`, with +/- `jitter` (a fraction) so that many
// clients dropped together by one node do not all come back in the same millisecond.

export const DEFAULT_BACKOFF = Object.freeze({ min: 500, max: 10000, factor: 2, jitter: 0.3 });

/** Delay in ms before reconnect attempt number `attempt` (0 = the first retry). */
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const { min, max, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const n = Math.max(0, Math.floor(attempt) || 0);
  const base = Math.min(max, min * Math.pow(factor, Math.min(n, 30)));
  const spread = base * jitter;
  const delay = base - spread + random() * 2 * spread;
  return Math.round(Math.min(max, Math.max(0, delay)));
}
