import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSendRequest, noticeFields } from '../src/sendform.js';

test('the form becomes a tutor.admin.send body', () => {
  assert.deepEqual(buildSendRequest({ address: ' tutor.me ', body: '', headers: '', publish: false, timeout: '' }),
    { address: 'tutor.me', body: {}, publish: false });
  assert.deepEqual(buildSendRequest({ address: 'x', body: '[1]', headers: '{"x-a":"1"}', publish: true, timeout: '500' }),
    { address: 'x', body: [1], headers: { 'x-a': '1' }, publish: true, timeoutMs: 500 });
});

test('mistakes are reported in words', () => {
  assert.throws(() => buildSendRequest({ address: '' }), /address/);
  assert.throws(() => buildSendRequest({ address: 'x', body: '{nope' }), /body is not valid JSON/);
  assert.throws(() => buildSendRequest({ address: 'x', headers: '{"a":1}' }), /object of strings/);
  assert.throws(() => buildSendRequest({ address: 'x', headers: '[]' }), /object of strings/);
  assert.throws(() => buildSendRequest({ address: 'x', timeout: '1.5' }), /milliseconds/);
});

test('a notice is a publish to the user inbox', () => {
  const fields = noticeFields(' ada ', 'Lab closes at 6');
  assert.equal(fields.address, 'tutor.user.ada');
  assert.deepEqual(JSON.parse(fields.body), { type: 'notice', text: 'Lab closes at 6' });
  assert.equal(fields.publish, true);
});
