import { test } from 'node:test';
import assert from 'node:assert/strict';
import { busUrl, clearSession, fetchToken, loadSession, saveSession, userIdFromName, validUserId } from '../src/session.js';

test('user ids from typed names', () => {
  assert.equal(userIdFromName('  Ada  Lovelace '), 'Ada-Lovelace');
  assert.equal(userIdFromName('zoë!'), 'zo');
  assert.equal(validUserId(userIdFromName('!!!')), false);
  assert.equal(validUserId('s1'), true);
  assert.equal(userIdFromName('x'.repeat(80)).length, 64);
});

test('sessions round-trip through storage', () => {
  const data = new Map();
  const storage = { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) };
  assert.equal(loadSession('student', storage), null);
  saveSession('student', { userId: 's1', token: 't' }, storage);
  assert.deepEqual(loadSession('student', storage), { userId: 's1', token: 't' });
  assert.equal(loadSession('teacher', storage), null);
  clearSession('student', storage);
  assert.equal(loadSession('student', storage), null);
  data.set('officehours.student', '{not json');
  assert.equal(loadSession('student', storage), null);
});

test('fetchToken posts the role and reports refusals in plain words', async () => {
  let seen;
  const ok = async (url, init) => { seen = { url, body: JSON.parse(init.body) }; return { ok: true, status: 200, json: async () => ({ token: 'abc' }) }; };
  assert.equal(await fetchToken('s1', 'student', ok), 'abc');
  assert.deepEqual(seen, { url: '/api/token', body: { userId: 's1', role: 'student' } });
  const refused = async () => ({ ok: false, status: 400, json: async () => ({ error: 'role must be student, teacher or admin' }) });
  await assert.rejects(fetchToken('s1', 'x', refused), /role must be/);
  const missing = async () => ({ ok: false, status: 404, json: async () => { throw new Error('html'); } });
  await assert.rejects(fetchToken('s1', 'student', missing), /dev mode/);
  assert.equal(busUrl('a.b+c'), '/eventbus?token=a.b%2Bc');
});
