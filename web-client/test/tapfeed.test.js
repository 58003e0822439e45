import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TapFeed, matches } from '../src/tapfeed.js';

const entry = (ts, address, extra = {}) => ({ ts, node: 'n1', direction: 'in', kind: 'send', address, size: 10, preview: '{}', ...extra });
const batch = (entries, skipped = 0, node = 'n1') => ({ type: 'tap', node, ts: 1, windowMs: 250, limit: 50, entries, skipped });

test('filters match a substring of the address, or a prefix with ^', () => {
  assert.ok(matches(entry(1, 'tutor.chat.send'), ''));
  assert.ok(matches(entry(1, 'tutor.chat.send'), 'chat'));
  assert.ok(!matches(entry(1, 'tutor.chat.send'), '^chat'));
  assert.ok(matches(entry(1, 'tutor.chat.send'), '^tutor.chat.'));
  assert.ok(matches(entry(1, 'tutor.user.s1'), '  user '));
});

test('batches are kept in time order, bounded, and counted per node', () => {
  const feed = new TapFeed({ capacity: 3 });
  assert.deepEqual(feed.add(batch([entry(2, 'b'), entry(1, 'a')], 5)).map((e) => e.address), ['a', 'b']);
  feed.add(batch([entry(3, 'c'), entry(4, 'd')], 1, 'n2'));
  assert.deepEqual(feed.view('').map((e) => e.address), ['b', 'c', 'd']);
  assert.equal(feed.skipped, 6);
  assert.equal(feed.nodes.get('n1').skipped, 5);
  assert.equal(feed.nodes.get('n2').entries, 2);
  assert.deepEqual(feed.view('', 1).map((e) => e.address), ['d']);
  assert.deepEqual(feed.add({ type: 'status' }), []);
});

test('while paused nothing is handed out to show, but entries are kept for the resume', () => {
  const feed = new TapFeed();
  feed.pause();
  assert.deepEqual(feed.add(batch([entry(1, 'tutor.me')])), []);
  assert.equal(feed.missed, 1);
  feed.resume();
  assert.deepEqual(feed.view('tutor').map((e) => e.address), ['tutor.me']);
  assert.equal(feed.add(batch([entry(2, 'tutor.me')])).length, 1);
  feed.clear();
  assert.deepEqual(feed.view(''), []);
});
