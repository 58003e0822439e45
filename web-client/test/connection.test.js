import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../src/backoff.js';
import { Connection } from '../src/connection.js';

test('backoff grows from min to max with bounded jitter', () => {
  const mid = () => 0.5;
  assert.equal(backoffDelay(0, {}, mid), 500);
  assert.equal(backoffDelay(1, {}, mid), 1000);
  assert.equal(backoffDelay(3, {}, mid), 4000);
  assert.equal(backoffDelay(10, {}, mid), 10000);
  assert.equal(backoffDelay(1000, {}, mid), 10000);
  for (let a = 0; a < 20; a++) {
    for (const r of [0, 0.999]) {
      const d = backoffDelay(a, {}, () => r);
      assert.ok(d >= 0 && d <= 10000, `attempt ${a}: ${d}`);
    }
  }
  assert.ok(backoffDelay(0, {}, () => 0) < backoffDelay(0, {}, () => 0.999));
});

/** A fake bridge client: opens when told, records frames, answers requests from a table. */
class FakeBus {
  constructor(url, world) {
    this.url = url;
    this.world = world;
    this.state = 0;
    this.handlers = {};
    this.sent = [];
    world.buses.push(this);
  }
  open() { this.state = 1; this.onopen(); }
  close() { this.state = 3; this.onclose({}); }
  registerHandler(address, headers, callback) { this.handlers[address] = callback; }
  send(address, body, headers, callback) {
    if (this.state !== 1) throw new Error('INVALID_STATE_ERR');
    this.sent.push({ address, body });
    const answer = this.world.answer(address, body);
    if (answer && answer.err) callback(answer.err);
    else if (answer !== undefined) callback(null, { body: answer });
  }
  push(address, body) { this.handlers[address](null, { body }); }
}

function fakeTimers() {
  const pending = [];
  return {
    pending,
    setTimeout(fn, ms) { const t = { fn, ms }; pending.push(t); return t; },
    clearTimeout(t) { const i = pending.indexOf(t); if (i >= 0) pending.splice(i, 1); },
    runNext() { const t = pending.shift(); t.fn(); return t.ms; },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('reconnects with growing delays, calls onOpen after every open, resets backoff', async () => {
  const world = { buses: [], answer: () => ({}) };
  const timers = fakeTimers();
  const statuses = [];
  const opens = [];
  const conn = new Connection({
    url: () => '/eventbus?token=x', createBus: (url) => new FakeBus(url, world), timers, random: () => 0.5,
    onStatus: (s) => statuses.push(s),
    onOpen: async (c, again) => { opens.push(again); c.register('tutor.user.s1', () => {}); },
  }).start();
  assert.equal(world.buses.length, 1);
  assert.equal(world.buses[0].url, '/eventbus?token=x');
  world.buses[0].open();
  await tick();
  assert.deepEqual(opens, [false]);
  world.buses[0].close();
  assert.equal(conn.status, 'reconnecting');
  assert.equal(timers.runNext(), 500);
  world.buses[1].close(); // refused
  assert.equal(timers.runNext(), 1000);
  world.buses[2].open();
  await tick();
  assert.deepEqual(opens, [false, true]);
  assert.ok(world.buses[2].handlers['tutor.user.s1'], 'registered again on the new socket');
  world.buses[2].close();
  assert.equal(timers.runNext(), 500, 'backoff starts over after a successful open');
  assert.deepEqual(statuses, ['connecting', 'online', 'reconnecting', 'online', 'reconnecting']);
});

test('requests resolve with the reply body, reject with the err, and fail fast when offline', async () => {
  const world = {
    buses: [],
    answer: (address, body) => (address === 'tutor.me' ? { userId: 's1' } : { err: { failureCode: 404, message: 'no such chat' } }),
  };
  const timers = fakeTimers();
  const conn = new Connection({ url: 'u', createBus: (url) => new FakeBus(url, world), timers }).start();
  await assert.rejects(conn.request('tutor.me'), (e) => e.message === 'not connected');
  world.buses[0].open();
  assert.deepEqual(await conn.request('tutor.me'), { userId: 's1' });
  await assert.rejects(conn.request('tutor.chat.history', { chatId: 'x', afterSeq: 0 }), (e) => e.failureCode === 404);
});

test('a request with no answer times out; stop() does not reconnect', async () => {
  const world = { buses: [], answer: () => undefined };
  const timers = fakeTimers();
  const conn = new Connection({ url: 'u', createBus: (url) => new FakeBus(url, world), timers, requestTimeout: 50 }).start();
  world.buses[0].open();
  const pending = conn.request('tutor.me');
  const t = timers.pending.find((p) => p.ms === 50);
  t.fn();
  await assert.rejects(pending, (e) => e.message === 'no answer');
  conn.stop();
  assert.equal(conn.status, 'closed');
  assert.equal(timers.pending.length, 1, 'only the spent request timer object remains');
  assert.equal(world.buses.length, 1);
});
