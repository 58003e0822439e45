// The console's send form, as a `tutor.admin.send` request: the JSON the operator typed is parsed
// here, and a mistake is reported in words before anything goes to the server.

export function parseJson(text, what, fallback) {
  const t = String(text ?? '').trim();
  if (!t) return fallback;
  try {
    return JSON.parse(t);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
}

/** {address, body, headers, publish, timeout} as typed -> the request body, or throws Error(message). */
export function buildSendRequest({ address, body, headers, publish, timeout }) {
  const a = String(address || '').trim();
  if (!a) throw new Error('Give an address.');
  const request = { address: a, body: parseJson(body, 'The body', {}), publish: !!publish };
  const h = parseJson(headers, 'The headers', {});
  if (!h || typeof h !== 'object' || Array.isArray(h) || Object.values(h).some((v) => typeof v !== 'string')) {
    throw new Error('The headers must be a JSON object of strings, like {"x-trace": "1"}.');
  }
  if (Object.keys(h).length) request.headers = h;
  const t = String(timeout ?? '').trim();
  if (t) {
    const ms = Number(t);
    if (!Number.isInteger(ms) || ms < 1) throw new Error('The timeout is a whole number of milliseconds.');
    request.timeoutMs = ms;
  }
  return request;
}

/** The form fields for an operator notice to one user. */
export function noticeFields(userId, text) {
  return {
    address: `tutor.user.${String(userId || '').trim()}`,
    body: JSON.stringify({ type: 'notice', text: String(text || '') }),
    headers: '',
    publish: true,
  };
}
