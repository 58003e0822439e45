// The student page: sign in, join the queue, chat with one teacher at a time.
import { ChatLog } from './chatlog.js';
import { Connection } from './connection.js';
import { busUrl } from './session.js';
import { $, createBus, errorText, insertLine, showConnection, showNotice, startPage } from './ui.js';

const ROLE = 'student';
let session = null;
let conn = null;
let log = null; // ChatLog of the chat on screen
let position = null;
let pollTimer = null;

function show(view) {
  for (const id of ['signin', 'lobby', 'chat']) $(`#${id}`).hidden = id !== view;
}

function renderQueue() {
  $('#queue-state').textContent = position == null
    ? 'You are not in the queue.'
    : position === 1 ? 'You are next in the queue (position 1).' : `You are in the queue: position ${position}.`;
  $('#queue-state').dataset.position = position == null ? '' : String(position);
  $('#join').hidden = position != null;
  clearInterval(pollTimer);
  pollTimer = null;
  // the server does not push queue moves: ask again while waiting
  if (position != null) pollTimer = setInterval(refreshMe, 5000);
}

function renderChatState() {
  const state = $('#chat-state');
  if (!log) return;
  state.dataset.state = log.state;
  if (log.state === 'ended') {
    state.textContent = log.reason === 'left'
      ? `Chat ended: ${log.endedBy === session.userId ? 'you' : log.endedBy || 'the teacher'} left.`
      : 'Chat ended by the teacher.';
  } else {
    state.textContent = `Chatting with ${log.chat.teacherId}.`;
  }
  if (!log.complete) state.textContent += ' Some earlier lines could not be recovered.';
  $('#compose').hidden = log.state === 'ended';
  $('#again').hidden = log.state !== 'ended';
}

function openChat(chat) {
  if (log && log.chatId === chat.chatId) return log;
  log = new ChatLog(chat);
  $('#log').replaceChildren();
  $('#chat-title').textContent = `Chat with ${chat.teacherId}`;
  $('#chat-error').textContent = '';
  position = null;
  renderQueue();
  show('chat');
  renderChatState();
  if (log.state === 'open') $('#text').focus();
  return log;
}

function addLine(message) {
  if (!log || message.chatId !== log.chatId) return;
  const index = log.add(message);
  if (index >= 0) insertLine($('#log'), index, log.lines[index], session.userId);
}

function applyHistory(reply) {
  if (!log) return;
  for (const { index, line } of log.applyHistory(reply)) insertLine($('#log'), index, line, session.userId);
  renderChatState();
}

function onPush(body) {
  if (!body) return;
  if (body.type === 'chat.started') {
    openChat(body.chat);
  } else if (body.type === 'chat.message') {
    addLine(body);
  } else if (body.type === 'chat.ended') {
    if (log && log.chatId === body.chatId) {
      log.end(body.by, body.reason);
      renderChatState();
      $('#again').focus();
    }
  } else if (body.type === 'notice') {
    showNotice(body);
  }
}

async function catchUp(c) {
  const me = await c.request('tutor.me', {});
  const open = (me.chats || []).find((chat) => chat.state !== 'ended');
  if (open) {
    openChat(open);
  } else if (!log || log.state === 'ended') {
    position = me.position ?? null;
    renderQueue();
    if (!log) show('lobby');
  }
  if (log) {
    // resume from the last line seen; also learns an end that happened while away
    applyHistory(await c.request('tutor.chat.history', { chatId: log.chatId, afterSeq: log.lastSeq }));
  }
}

async function refreshMe() {
  if (!conn || !conn.open) return;
  try {
    const me = await conn.request('tutor.me', {});
    if (!(me.chats || []).some((chat) => chat.state !== 'ended')) {
      position = me.position ?? null;
      renderQueue();
    }
  } catch (e) {
    // the next poll or reconnect tries again
  }
}

function connect() {
  conn = new Connection({
    url: () => busUrl(session.token),
    createBus,
    onStatus: (status) => showConnection($('#conn'), status),
    onOpen: async (c) => {
      c.register(`tutor.user.${session.userId}`, onPush); // before tutor.me, so no push is missed
      await catchUp(c);
    },
  }).start();
  window.officeHours = { connection: conn };
}

function signedIn() {
  $('#who').textContent = `Signed in as ${session.userId}`;
  $('#sign-out').hidden = false;
  show(log ? 'chat' : 'lobby');
  renderQueue();
  connect();
  $('#join').focus();
}

async function join() {
  $('#lobby-error').textContent = '';
  try {
    const reply = await conn.request('tutor.student.ready', {});
    if (!log || log.state === 'ended') {
      position = reply.position;
      renderQueue();
      show('lobby');
      $('#queue-state').focus?.();
    }
  } catch (e) {
    $('#lobby-error').textContent = `Could not join: ${errorText(e)}`;
  }
}

$('#join').addEventListener('click', join);
$('#again').addEventListener('click', () => {
  log = null;
  $('#log').replaceChildren();
  show('lobby');
  join();
});

$('#compose').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('#text');
  const text = input.value;
  if (!text.trim() || !log || log.state === 'ended') return;
  $('#chat-error').textContent = '';
  input.disabled = true;
  try {
    await conn.request('tutor.chat.send', { chatId: log.chatId, text });
    input.value = ''; // the line itself arrives as a chat.message push
  } catch (e) {
    $('#chat-error').textContent = `Not sent: ${errorText(e)}`;
  } finally {
    input.disabled = false;
    input.focus();
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
