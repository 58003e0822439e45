// The teacher page: queue length, who is online, take the next student, up to 5 chats side by side.
import { ChatLog } from './chatlog.js';
import { Connection } from './connection.js';
import { Presence } from './presence.js';
import { busUrl } from './session.js';
import { $, createBus, el, errorText, insertLine, showConnection, showNotice, startPage } from './ui.js';

const ROLE = 'teacher';
const CAPACITY = 5;
let session = null;
let conn = null;
const chats = new Map(); // chatId -> { log, pane, list, unread }
const presence = new Presence();

function show(view) {
  for (const id of ['signin', 'desk']) $(`#${id}`).hidden = id !== view;
}

function openCount() {
  return [...chats.values()].filter((c) => c.log.state === 'open').length;
}

function renderClaim() {
  $('#claim').disabled = openCount() >= CAPACITY;
  $('#claim').title = openCount() >= CAPACITY ? `At most ${CAPACITY} chats at once` : '';
}

function counted(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function renderPresence() {
  const items = presence.list((id, p) => {
    const role = p.metas[0] ? p.metas[0].role : '';
    return el('li', { 'data-user': id }, el('span', { text: id }), el('span', { class: 'role', text: ` ${role}` }));
  });
  $('#online-list').replaceChildren(...items);
  $('#online-count').textContent = `${counted(presence.count('student'), 'student')}, ${counted(presence.count('teacher'), 'teacher')}`;
}
presence.onSync(renderPresence);

function setUnread(entry, n) {
  entry.unread = n;
  entry.badge.textContent = n ? `${n} new` : '';
  entry.badge.hidden = !n;
  entry.pane.classList.toggle('has-unread', n > 0);
}

function renderPaneState(entry) {
  const { log } = entry;
  entry.pane.dataset.state = log.state;
  entry.state.textContent = log.state === 'ended'
    ? (log.reason === 'left' ? `Ended: ${log.endedBy === session.userId ? 'you' : log.endedBy} left.` : 'Chat ended.')
    : '';
  if (!log.complete) entry.state.textContent += ' Some earlier lines could not be recovered.';
  entry.form.hidden = log.state === 'ended';
  entry.end.hidden = log.state === 'ended';
  entry.close.hidden = log.state !== 'ended';
  renderClaim();
}

function paneFor(chat) {
  let entry = chats.get(chat.chatId);
  if (entry) return entry;
  const log = new ChatLog(chat);
  const id = `c-${chat.chatId}`;
  const list = el('ol', { class: 'log', 'aria-label': `Messages with ${chat.studentId}`, 'aria-live': 'polite' });
  const input = el('input', { id: `${id}-text`, class: 'compose-text', autocomplete: 'off', maxlength: '4000', placeholder: 'Message, Enter to send' });
  const form = el('form', { class: 'compose' },
    el('label', { for: `${id}-text`, class: 'visually-hidden', text: `Message to ${chat.studentId}` }),
    input, el('button', { type: 'submit', text: 'Send', 'aria-label': `Send to ${chat.studentId}` }));
  const badge = el('span', { class: 'unread', hidden: true });
  // several panes show the same buttons: their names say which chat they act on
  const end = el('button', { type: 'button', class: 'end', text: 'End chat', 'aria-label': `End chat with ${chat.studentId}` });
  const close = el('button', { type: 'button', class: 'close', text: 'Close', hidden: true, 'aria-label': `Close chat with ${chat.studentId}` });
  const state = el('p', { class: 'chat-state', role: 'status' });
  const error = el('p', { class: 'error', role: 'alert' });
  const pane = el('section', { class: 'pane', 'data-chat-id': chat.chatId, 'data-student': chat.studentId, 'aria-labelledby': `${id}-title` },
    el('header', {}, el('h3', { id: `${id}-title`, text: chat.studentId }), badge, end, close),
    state, list, form, error);
  entry = { log, pane, list, input, form, badge, end, close, state, error, unread: 0 };
  chats.set(chat.chatId, entry);
  $('#panes').append(pane);

  pane.addEventListener('focusin', () => setUnread(entry, 0));
  pane.addEventListener('pointerdown', () => setUnread(entry, 0));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || log.state === 'ended') return;
    error.textContent = '';
    input.disabled = true;
    try {
      await conn.request('tutor.chat.send', { chatId: chat.chatId, text });
      input.value = '';
    } catch (e) {
      error.textContent = `Not sent: ${errorText(e)}`;
    } finally {
      input.disabled = false;
      input.focus();
    }
  });
  end.addEventListener('click', async () => {
    error.textContent = '';
    try {
      await conn.request('tutor.chat.end', { chatId: chat.chatId });
      log.end(session.userId, 'ended');
      renderPaneState(entry);
      close.focus();
    } catch (e) {
      error.textContent = `Could not end: ${errorText(e)}`;
    }
  });
  close.addEventListener('click', () => {
    chats.delete(chat.chatId);
    pane.remove();
    renderClaim();
    $('#claim').focus();
  });
  renderPaneState(entry);
  return entry;
}

function addLines(entry, added) {
  let fromOthers = 0;
  for (const { index, line } of added) {
    insertLine(entry.list, index, line, session.userId);
    if (line.from !== session.userId) fromOthers++;
  }
  if (fromOthers && !entry.pane.contains(document.activeElement)) setUnread(entry, entry.unread + fromOthers);
}

function onPush(body) {
  if (!body) return;
  if (body.type === 'chat.started') {
    paneFor(body.chat);
  } else if (body.type === 'chat.message') {
    const entry = chats.get(body.chatId);
    if (!entry) return;
    const index = entry.log.add(body);
    if (index >= 0) addLines(entry, [{ index, line: entry.log.lines[index] }]);
  } else if (body.type === 'chat.ended') {
    const entry = chats.get(body.chatId);
    if (entry && entry.log.end(body.by, body.reason)) renderPaneState(entry);
  } else if (body.type === 'notice') {
    showNotice(body);
  }
}

function onStatus(body) {
  if (!body || body.type !== 'status') return;
  $('#waiting').dataset.waiting = String(body.waiting);
  $('#waiting').textContent = `Waiting: ${body.waiting} · open chats: ${body.chats} · teachers: ${body.teachers}`;
}

async function catchUp(c) {
  const me = await c.request('tutor.me', {});
  for (const chat of me.chats || []) paneFor(chat);
  await Promise.all([...chats.values()].map(async (entry) => {
    if (entry.log.state === 'ended' && entry.log.lastSeq > 0 && !entry.log.hasGap) return;
    const reply = await c.request('tutor.chat.history', { chatId: entry.log.chatId, afterSeq: entry.log.lastSeq });
    addLines(entry, entry.log.applyHistory(reply));
    renderPaneState(entry);
  }));
}

function connect() {
  conn = new Connection({
    url: () => busUrl(session.token),
    createBus,
    onStatus: (status) => {
      showConnection($('#conn'), status);
      if (status !== 'online') presence.reset();
      $('#claim').disabled = status !== 'online' || openCount() >= CAPACITY;
    },
    onOpen: async (c) => {
      c.register(`tutor.user.${session.userId}`, onPush);
      c.register('tutor.status', onStatus);
      c.register('tutor.presence', (body) => presence.handle(body));
      renderClaim();
      // the claim button was disabled while connecting, so focusing it at sign-in did nothing:
      // give a keyboard user the focus back rather than leave it on the page body
      if (document.activeElement === document.body && !$('#claim').disabled) $('#claim').focus();
      await catchUp(c);
    },
  }).start();
  window.officeHours = { connection: conn };
}

function signedIn() {
  $('#who').textContent = `Signed in as ${session.userId}`;
  $('#sign-out').hidden = false;
  show('desk');
  connect();
  $('#claim').focus();
}

$('#claim').addEventListener('click', async () => {
  $('#desk-error').textContent = '';
  try {
    const reply = await conn.request('tutor.teacher.claim', {});
    if (!reply.chat) {
      $('#desk-error').textContent = 'Nobody is waiting.';
      return;
    }
    const entry = paneFor(reply.chat);
    entry.input.focus();
  } catch (e) {
    $('#desk-error').textContent = e.failureCode === 409 ? `You already have ${CAPACITY} open chats.` : `Could not take a student: ${errorText(e)}`;
    // a claim whose node died before answering may still have opened a chat: tutor.me knows
    if (e.failureCode !== 409) catchUp(conn).catch(() => {});
  }
});

startPage(ROLE, {
  onSession: (s) => {
    session = s;
    signedIn();
  },
  showSignIn: () => show('signin'),
  stop: () => {
    if (conn) conn.stop();
  },
});
