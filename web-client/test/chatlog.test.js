import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatLog } from '../src/chatlog.js';

const chat = { chatId: 'c1', teacherId: 't1', studentId: 's1', startedAt: 1 };
const m = (seq, text = `line ${seq}`) => ({ chatId: 'c1', seq, from: seq % 2 ? 't1' : 's1', text, ts: seq });

test('lines are kept once, in seq order, whatever order they arrive in', () => {
  const log = new ChatLog(chat);
  assert.equal(log.add(m(2)), 0);
  assert.equal(log.add(m(1)), 0);
  assert.equal(log.add(m(2)), -1);
  assert.equal(log.add(m(4)), 2);
  assert.equal(log.add(m(3)), 2);
  assert.deepEqual(log.lines.map((l) => l.seq), [1, 2, 3, 4]);
});

test('lastSeq is the end of the gap-free prefix, so a resume fills a gap', () => {
  const log = new ChatLog(chat);
  log.add(m(1));
  log.add(m(3));
  assert.equal(log.lastSeq, 1);
  assert.equal(log.hasGap, true);
  log.add(m(2));
  assert.equal(log.lastSeq, 3);
  assert.equal(log.hasGap, false);
});

test('a history reply that overlaps pushes adds only the missing lines and learns the end', () => {
  const log = new ChatLog(chat);
  log.add(m(1));
  log.add(m(3)); // a push that raced the history
  const added = log.applyHistory({ messages: [m(2), m(3), m(4)], complete: true,
    chat: { ...chat, state: 'ended', lastSeq: 4, endedBy: 't1', reason: 'ended' } });
  assert.deepEqual(added.map((a) => a.line.seq), [2, 4]);
  assert.deepEqual(added.map((a) => a.index), [1, 3]);
  assert.deepEqual(log.lines.map((l) => l.seq), [1, 2, 3, 4]);
  assert.equal(log.state, 'ended');
  assert.equal(log.endedBy, 't1');
});

test('bad or foreign messages are ignored; complete:false is remembered', () => {
  const log = new ChatLog(chat);
  assert.equal(log.add({ ...m(1), chatId: 'other' }), -1);
  assert.equal(log.add({ ...m(1), seq: 0 }), -1);
  assert.equal(log.add({ ...m(1), seq: '1' }), -1);
  assert.equal(log.add(null), -1);
  log.applyHistory({ messages: [], complete: false, chat: { ...chat, state: 'open' } });
  assert.equal(log.complete, false);
  assert.equal(log.state, 'open');
});

test('end() reports a change once and keeps the first reason', () => {
  const log = new ChatLog(chat);
  assert.equal(log.end('s1', 'left'), true);
  assert.equal(log.end('t1', 'ended'), false);
  assert.equal(log.reason, 'left');
  assert.equal(log.endedBy, 's1');
});
