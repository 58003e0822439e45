// Small DOM helpers shared by the pages. Text always goes in with textContent, never as HTML.
import { clearSession, fetchToken, loadSession, saveSession, userIdFromName, validUserId } from './session.js';

export const $ = (selector, root = document) => root.querySelector(selector);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function formatTime(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The <li> of one line; `me` is the signed-in user id. */
export function lineItem(line, me) {
  const mine = line.from === me;
  return el('li', { class: `msg ${mine ? 'mine' : 'theirs'}`, 'data-seq': String(line.seq) },
    el('span', { class: 'who', text: mine ? 'You' : line.from }),
    el('span', { class: 'text', text: line.text }),
    el('time', { class: 'when', text: formatTime(line.ts) }));
}

/** Inserts the <li> of `line` at `index` of the list (the ChatLog's order). */
export function insertLine(list, index, line, me) {
  const item = lineItem(line, me);
  const atEnd = index >= list.children.length;
  list.insertBefore(item, list.children[index] || null);
  if (atEnd) list.scrollTop = list.scrollHeight; // follow the newest line
  return item;
}

/** Shows the connection state in the discreet indicator element. */
export function showConnection(indicator, status) {
  indicator.dataset.state = status;
  indicator.textContent = status === 'online' ? 'Connected'
    : status === 'connecting' ? 'Connecting…'
    : status === 'reconnecting' ? 'Reconnecting…'
    : status === 'closed' ? 'Signed out' : '';
}

export function createBus(url) {
  // EventBus and SockJS are globals from lib/vertx-eventbus.js and lib/sockjs.min.js
  return new globalThis.EventBus(url, { vertxbus_ping_interval: 20000 });
}

export function errorText(err) {
  if (!err) return 'failed';
  if (err.failureCode) return `${err.message || 'failed'} (${err.failureCode})`;
  return err.message || String(err);
}

/**
 * Wires the dev sign-in form shared by both pages: a name becomes a user id, POST /api/token gives
 * a token for `role`, the session is kept for reloads, then `onSession(session)` runs.
 */
export function bindSignIn(role, onSession) {
  $('#signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const userId = userIdFromName($('#name').value);
    $('#signin-error').textContent = '';
    if (!validUserId(userId)) {
      $('#signin-error').textContent = 'Use letters, digits, spaces or _ . @ - (up to 64).';
      return;
    }
    try {
      const session = { userId, token: await fetchToken(userId, role) };
      saveSession(role, session);
      onSession(session);
    } catch (e) {
      $('#signin-error').textContent = errorText(e);
    }
  });
}

/**
 * Starts a page: with the session kept from an earlier sign-in if there is one, else on the sign-in
 * form (see bindSignIn); the sign-out button forgets the session, runs `stop` and reloads.
 */
export function startPage(role, { onSession, showSignIn, stop }) {
  bindSignIn(role, onSession);
  $('#sign-out').addEventListener('click', () => {
    clearSession(role);
    stop();
    location.reload();
  });
  const session = loadSession(role);
  if (session) {
    onSession(session);
  } else {
    showSignIn();
    $('#name').focus();
  }
}

/**
 * Shows an operator notice ({type: 'notice', text, from}) in the page's #notice banner, until
 * dismissed or replaced by the next one.
 */
export function showNotice(notice) {
  const box = $('#notice');
  if (!box || !notice || typeof notice.text !== 'string') return;
  $('.notice-from', box).textContent = notice.from || 'an operator';
  $('.notice-text', box).textContent = notice.text;
  box.hidden = false;
  $('.notice-dismiss', box).onclick = () => {
    box.hidden = true;
  };
}
