import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Presence, list, syncDiff, syncState } from '../src/presence.js';

const meta = (ref, extra = {}) => ({ ref, node: 'n1', role: 'student', status: 'idle', onlineAt: 1, ...extra });

test('syncState reports joins and leaves against the current state', () => {
  const joins = [];
  const leaves = [];
  const first = syncState({}, { a: { metas: [meta('1')] }, b: { metas: [meta('2')] } }, (id) => joins.push(id));
  assert.deepEqual(joins.sort(), ['a', 'b']);
  const second = syncState(first, { b: { metas: [meta('2'), meta('3')] } },
    (id, cur, joined) => joins.push(`${id}+${joined.metas.map((m) => m.ref)}`),
    (id, cur, left) => leaves.push(`${id}-${left.metas.map((m) => m.ref)}`));
  assert.deepEqual(leaves, ['a-1']);
  assert.ok(joins.includes('b+3'));
  assert.deepEqual(Object.keys(second), ['b']);
  assert.equal(second.b.metas.length, 2);
});

test('two tabs are one user with two metas; closing one keeps the user', () => {
  let state = syncDiff({}, { joins: { s1: { metas: [meta('t1')] } }, leaves: {} });
  state = syncDiff(state, { joins: { s1: { metas: [meta('t2')] } }, leaves: {} });
  assert.equal(state.s1.metas.length, 2);
  state = syncDiff(state, { joins: {}, leaves: { s1: { metas: [meta('t1')] } } });
  assert.deepEqual(state.s1.metas.map((m) => m.ref), ['t2']);
  state = syncDiff(state, { joins: {}, leaves: { s1: { metas: [meta('t2')] } } });
  assert.equal(state.s1, undefined);
});

test('a status update (leave old ref, join new ref in one diff) replaces the meta in place', () => {
  let state = syncDiff({}, { joins: { s1: { metas: [meta('r1')] } } });
  const left = [];
  state = syncDiff(state, {
    joins: { s1: { metas: [meta('r1.2', { status: 'waiting', prevRef: 'r1' })] } },
    leaves: { s1: { metas: [meta('r1')] } },
  }, () => {}, (id) => left.push(id));
  assert.deepEqual(state.s1.metas.map((m) => m.status), ['waiting']);
  assert.deepEqual(left, ['s1'], 'the old meta leaves, the user stays');
});

test('a join seen twice is applied once; a leave of an unknown meta changes nothing', () => {
  const diff = { joins: { s1: { metas: [meta('x')] } } };
  let state = syncDiff(syncDiff({}, diff), diff);
  assert.equal(state.s1.metas.length, 1);
  state = syncDiff(state, { leaves: { s1: { metas: [meta('nope')] }, ghost: { metas: [meta('g')] } } });
  assert.equal(state.s1.metas.length, 1);
  assert.equal(state.ghost, undefined);
});

test('diffs that arrive before the first state are held and applied after it', () => {
  const presence = new Presence();
  const joined = [];
  let syncs = 0;
  presence.onJoin((id) => joined.push(id)).onSync(() => syncs++);
  presence.handle({ type: 'presence.diff', joins: { late: { metas: [meta('L')] } }, leaves: {} });
  presence.handle({ type: 'presence.diff', joins: {}, leaves: { early: { metas: [meta('E')] } } });
  assert.equal(syncs, 0, 'nothing is shown before the state');
  presence.handle({ type: 'presence.state', presences: { early: { metas: [meta('E')] }, t: { metas: [meta('T', { role: 'teacher' })] } } });
  assert.deepEqual(presence.list().map((p) => p.id), ['late', 't']);
  assert.equal(presence.count('teacher'), 1);
  assert.equal(presence.count('student'), 1);
  assert.ok(joined.includes('late'));
  assert.equal(syncs, 1);
});

test('after reset, diffs wait for the next state again', () => {
  const presence = new Presence();
  presence.handle({ type: 'presence.state', presences: { a: { metas: [meta('1')] } } });
  presence.reset();
  presence.handle({ type: 'presence.diff', joins: { b: { metas: [meta('2')] } } });
  assert.deepEqual(presence.list().map((p) => p.id), ['a']);
  presence.handle({ type: 'presence.state', presences: { a: { metas: [meta('1')] } } });
  assert.deepEqual(presence.list().map((p) => p.id), ['a', 'b']);
});

test('list sorts by user id and takes a chooser', () => {
  const state = { b: { metas: [meta('2')] }, a: { metas: [meta('1'), meta('3')] } };
  assert.deepEqual(list(state, (id, p) => `${id}:${p.metas.length}`), ['a:2', 'b:1']);
});

test('bad bodies are ignored', () => {
  const presence = new Presence();
  presence.handle(null);
  presence.handle('x');
  presence.handle({ type: 'other' });
  assert.deepEqual(presence.list(), []);
});
