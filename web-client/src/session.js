// Dev sign-in (POST /api/token) and the session kept in sessionStorage, so that a reload of the
// page resumes as the same user (and, within the server's grace period, in the same chat).

const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

/** A user id from a typed name: spaces become '-', other characters the server refuses are dropped. */
export function userIdFromName(name) {
  return String(name || '').trim().replace(/\s+/g, '-').replace(/[^A-Za-z0-9_.@-]/g, '').slice(0, 64);
}

export function validUserId(id) {
  return USER_ID.test(id);
}

export async function fetchToken(userId, role, fetchImpl = globalThis.fetch) {
  const response = await fetchImpl('/api/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, role }),
  });
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    // not JSON
  }
  if (!response.ok || !body.token) {
    throw new Error(body.error || (response.status === 404 ? 'sign-in is only available in dev mode' : `sign-in failed (${response.status})`));
  }
  return body.token;
}

export function loadSession(role, storage = globalThis.sessionStorage) {
  try {
    const saved = JSON.parse(storage.getItem(`officehours.${role}`) || 'null');
    return saved && saved.userId && saved.token ? saved : null;
  } catch (e) {
    return null;
  }
}

export function saveSession(role, session, storage = globalThis.sessionStorage) {
  storage.setItem(`officehours.${role}`, JSON.stringify(session));
}

export function clearSession(role, storage = globalThis.sessionStorage) {
  storage.removeItem(`officehours.${role}`);
}

export function busUrl(token) {
  return `/eventbus?token=${encodeURIComponent(token)}`;
}
