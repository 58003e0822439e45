// The operators' console (admins only): the nodes and their traffic, who is online, the chats in
// progress and their logs, a sampled feed of the event-bus traffic (`tutor.admin.tap`), and a form
// that sends or publishes anything on the event bus (`tutor.admin.send`).
import { ChatLog } from './chatlog.js';
import { Connection } from './connection.js';
import { Presence } from './presence.js';
import { buildSendRequest, noticeFields } from './sendform.js';
import { busUrl } from './session.js';
import { TapFeed, matches } from './tapfeed.js';
import { $, createBus, el, errorText, insertLine, showConnection, startPage } from './ui.js';

const ROLE = 'admin';
const POLL_MS = 2000;
const SHOWN = 200; // feed rows in the page; the feed keeps more for filtering
let session = null;
let conn = null;
let selected = null; // { chatId, log, refreshing, again }
const presence = new Presence();
const feed = new TapFeed();
const polling = { nodes: false, chats: false, timer: null };

function show(view) {
  $('#signin').hidden = view !== 'signin';
  $('#desk').hidden = view !== 'desk';
}

/** GET on the operator HTTP API with the admin's token; rejects with the server's words. */
async function api(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${session.token}` } });
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    // not JSON
  }
  if (!response.ok) throw new Error(`${body.error || 'request failed'} (${response.status})`);
  return body;
}

const clock = (ts) => (ts ? new Date(ts).toLocaleTimeString([], { hour12: false }) : '');
const rate = (n) => (typeof n === 'number' ? n.toFixed(1) : '–');

// --- nodes -------------------------------------------------------------------------------------

async function pollNodes() {
  if (polling.nodes) return;
  polling.nodes = true;
  try {
    const { members = [] } = await api('/api/cluster');
    const name = (m) => m.name || m.nodeId;
    const rows = members.slice().sort((a, b) => name(a).localeCompare(name(b))).map((m) => el('tr', { 'data-node': name(m) },
      el('th', { scope: 'row' }, el('span', { text: name(m) }), m.self ? el('span', { class: 'muted', text: ' (this node)' }) : null,
        el('span', { class: 'sub', text: m.http || '' })),
      el('td', { class: 'num', 'data-field': 'connections', text: String(m.connections ?? '–') }),
      el('td', { class: 'num', 'data-field': 'in', text: rate(m.inPerSec) }),
      el('td', { class: 'num', 'data-field': 'out', text: rate(m.outPerSec) })));
    $('#nodes tbody').replaceChildren(...rows);
    $('#nodes-error').textContent = '';
  } catch (e) {
    $('#nodes-error').textContent = `Nodes: ${errorText(e)}`;
  } finally {
    polling.nodes = false;
  }
}

// --- presence ----------------------------------------------------------------------------------

function renderPresence() {
  const items = presence.list((id, p) => {
    const roles = [...new Set(p.metas.map((m) => m.role))].join(', ');
    const statuses = [...new Set(p.metas.map((m) => m.status))].join(', ');
    const nodes = [...new Set(p.metas.map((m) => m.node))].join(', ');
    return el('li', { 'data-user': id },
      el('span', { class: 'name', text: id }),
      el('span', { class: 'muted', text: ` ${roles} · ${statuses} · ${p.metas.length} conn. on ${nodes}` }));
  });
  $('#presence-list').replaceChildren(...items);
  const n = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
  $('#presence-count').textContent = `(${n(presence.count('student'), 'student')}, ${n(presence.count('teacher'), 'teacher')})`;
}
presence.onSync(renderPresence);

// --- chats and their logs ----------------------------------------------------------------------

async function pollChats() {
  if (polling.chats) return;
  polling.chats = true;
  try {
    const { chats = [] } = await api('/api/chats?state=open');
    const items = chats.map((chat) => {
      const button = el('button', {
        type: 'button', class: 'chat-open', 'aria-pressed': String(!!selected && selected.chatId === chat.chatId),
        text: `${chat.teacherId} with ${chat.studentId} · ${chat.lastSeq} lines`,
        onclick: () => selectChat(chat),
      });
      return el('li', { 'data-chat-id': chat.chatId, 'data-teacher': chat.teacherId, 'data-student': chat.studentId }, button);
    });
    $('#chats').replaceChildren(...items);
    $('#chats-count').textContent = `(${chats.length})`;
    $('#chats-error').textContent = '';
    if (selected) refreshLog();
  } catch (e) {
    $('#chats-error').textContent = `Chats: ${errorText(e)}`;
  } finally {
    polling.chats = false;
  }
}

function selectChat(chat) {
  if (selected && selected.chatId === chat.chatId) return;
  selected = { chatId: chat.chatId, log: new ChatLog(chat), refreshing: false, again: false };
  for (const b of document.querySelectorAll('#chats .chat-open')) {
    b.setAttribute('aria-pressed', String(b.parentElement.dataset.chatId === chat.chatId));
  }
  $('#chat-log').replaceChildren();
  $('#chat-view').hidden = false;
  $('#chat-view').dataset.chatId = chat.chatId;
  renderChatTitle();
  refreshLog();
}

function renderChatTitle() {
  const { log } = selected;
  const state = log.state === 'ended' ? ` (ended${log.reason === 'left' ? `: ${log.endedBy} left` : ''})` : '';
  $('#chat-view-title').textContent = `Log: ${log.chat.teacherId} with ${log.chat.studentId}${state}`;
  $('#chat-view').dataset.state = log.state;
}

/** Fetches the selected chat's lines after the last one shown; one fetch at a time, one more if asked meanwhile. */
async function refreshLog() {
  const current = selected;
  if (!current) return;
  if (current.refreshing) {
    current.again = true;
    return;
  }
  current.refreshing = true;
  try {
    const reply = await api(`/api/chats/${encodeURIComponent(current.chatId)}?afterSeq=${current.log.lastSeq}`);
    if (selected !== current) return;
    for (const { index, line } of current.log.applyHistory(reply)) insertLine($('#chat-log'), index, line, '');
    renderChatTitle();
  } catch (e) {
    $('#chats-error').textContent = `Log: ${errorText(e)}`;
  } finally {
    current.refreshing = false;
    if (current.again) {
      current.again = false;
      refreshLog();
    }
  }
}

// --- traffic feed ------------------------------------------------------------------------------

function entryItem(e) {
  const inbound = e.direction === 'in';
  return el('li', {
    class: `tap ${inbound ? 'in' : 'out'}`, 'data-address': e.address, 'data-direction': e.direction,
    'data-kind': e.kind, 'data-node': e.node,
  },
  el('time', { text: clock(e.ts) }),
  el('span', { class: 'node', text: e.node }),
  el('span', { class: 'dir', title: inbound ? 'client to server' : 'server to client', text: `${inbound ? '→' : '←'} ${e.kind}` }),
  el('span', { class: 'addr', text: e.address }),
  el('span', { class: 'user', text: e.user ? `@${e.user}` : '' }),
  el('span', { class: 'size', text: `${e.size} B${e.sockets ? ` ×${e.sockets}` : ''}` }),
  el('code', { class: 'preview', text: e.preview }));
}

function renderStats() {
  const nodes = [...feed.nodes.keys()].length;
  $('#tap-stats').textContent = `${feed.received} frames sampled from ${nodes} node${nodes === 1 ? '' : 's'}, `
    + `${feed.skipped} more let through unrecorded`
    + (feed.paused ? ` · paused: ${feed.missed} new frames not shown` : '');
}

function renderFeed() {
  const items = feed.view($('#filter').value, SHOWN).reverse().map(entryItem);
  $('#feed').replaceChildren(...items);
  renderStats();
}

function onTap(batch) {
  const fresh = feed.add(batch);
  const filter = $('#filter').value;
  const list = $('#feed');
  for (const e of fresh) if (matches(e, filter)) list.prepend(entryItem(e));
  while (list.children.length > SHOWN) list.lastChild.remove();
  renderStats();
  // a line was written somewhere: the selected chat's log may have grown
  if (selected && fresh.some((e) => e.address === 'tutor.chat.send' && e.kind === 'reply')) refreshLog();
}

function togglePause() {
  if (feed.paused) feed.resume();
  else feed.pause();
  $('#pause').setAttribute('aria-pressed', String(feed.paused));
  $('#pause').textContent = feed.paused ? 'Resume' : 'Pause';
  $('#feed').dataset.paused = String(feed.paused);
  if (!feed.paused) renderFeed();
  else renderStats();
}

// --- send --------------------------------------------------------------------------------------

function showResult(state, text) {
  $('#send-result').dataset.state = state;
  $('#send-result').textContent = text;
}

async function submitSend() {
  let request;
  try {
    request = buildSendRequest({
      address: $('#send-address').value, body: $('#send-body').value, headers: $('#send-headers').value,
      publish: $('#send-publish').checked, timeout: $('#send-timeout').value,
    });
  } catch (e) {
    showResult('error', e.message);
    return;
  }
  showResult('pending', `${request.publish ? 'Publishing' : 'Sending'} to ${request.address}…`);
  try {
    const reply = await conn.request('tutor.admin.send', request);
    showResult('ok', JSON.stringify(reply, null, 2));
  } catch (e) {
    showResult('error', `Failed: ${errorText(e)}`);
  }
}

function fillSendForm(fields) {
  $('#send-address').value = fields.address;
  $('#send-body').value = fields.body;
  $('#send-headers').value = fields.headers;
  $('#send-publish').checked = fields.publish;
}

// --- wiring ------------------------------------------------------------------------------------

function connect() {
  conn = new Connection({
    url: () => busUrl(session.token),
    createBus,
    requestTimeout: 15000, // tutor.admin.send may wait up to 10 s for its target
    onStatus: (status) => {
      showConnection($('#conn'), status);
      if (status !== 'online') presence.reset();
    },
    onOpen: async (c) => {
      c.register('tutor.presence', (body) => presence.handle(body));
      c.register('tutor.admin.tap', onTap, (err) => {
        $('#tap-stats').textContent = `The traffic tap was refused: ${errorText(err)}`;
      });
    },
  }).start();
  window.officeHours = { connection: conn, feed };
}

function signedIn() {
  $('#who').textContent = `Signed in as ${session.userId} (admin)`;
  $('#sign-out').hidden = false;
  show('desk');
  connect();
  pollNodes();
  pollChats();
  polling.timer = setInterval(() => {
    pollNodes();
    pollChats();
  }, POLL_MS);
  $('#filter').focus();
}

$('#filter').addEventListener('input', renderFeed);
$('#pause').addEventListener('click', togglePause);
$('#clear').addEventListener('click', () => {
  feed.clear();
  renderFeed();
});
$('#send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  submitSend();
});
for (const area of document.querySelectorAll('#send-form textarea')) {
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      $('#send-form').requestSubmit();
    }
  });
}
$('#notice-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!$('#notice-user').value.trim() || !$('#notice-text').value.trim()) {
    showResult('error', 'A notice needs a user id and a text.');
    return;
  }
  fillSendForm(noticeFields($('#notice-user').value, $('#notice-text').value));
  submitSend();
});
startPage(ROLE, {
  onSession: (s) => {
    session = s;
    signedIn();
  },
  showSignIn: () => show('signin'),
  stop: () => {
    clearInterval(polling.timer);
    if (conn) conn.stop();
  },
});
