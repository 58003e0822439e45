// One event-bus connection that comes back by itself. The bridge client's own reconnect is not
// used: after every (re)open this calls `onOpen(connection)`, where a page re-registers its
// addresses and catches up (tutor.me, tutor.chat.history afterSeq), because a new SockJS session
// has none of the old one's registrations. Between attempts it waits backoffDelay(attempt).
//
// createBus(url) must return an object shaped like the bridge client's EventBus: state, onopen,
// onclose, send(address, body, headers, callback), registerHandler(address, headers, callback),
// close(). In the browser that is `(url) => new EventBus(url, {vertxbus_ping_interval: 20000})`.

import { backoffDelay } from './backoff.js';

const OPEN = 1;

export class Connection {
  constructor({ url, createBus, onOpen = async () => {}, onStatus = () => {}, onPush = null,
    backoff = {}, timers = globalThis, random = Math.random, requestTimeout = 10000 }) {
    this.url = url;
    this.createBus = createBus;
    this.onOpen = onOpen;
    this.onStatus = onStatus;
    this.backoff = backoff;
    this.timers = timers;
    this.random = random;
    this.requestTimeout = requestTimeout;
    this.bus = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.status = 'idle';
    this.opens = 0;
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.onStatus(status);
  }

  connect() {
    this.timer = null;
    if (this.stopped) return;
    this.setStatus(this.opens === 0 ? 'connecting' : 'reconnecting');
    let bus;
    try {
      bus = this.createBus(typeof this.url === 'function' ? this.url() : this.url);
    } catch (e) {
      this.scheduleReconnect();
      return;
    }
    this.bus = bus;
    bus.onopen = () => {
      if (this.bus !== bus) return;
      this.attempt = 0;
      this.opens++;
      this.setStatus('online');
      Promise.resolve()
        .then(() => this.onOpen(this, this.opens > 1))
        .catch((e) => console.error('after connect:', e));
    };
    bus.onclose = () => {
      if (this.bus !== bus) return;
      this.bus = null;
      if (this.stopped) {
        this.setStatus('closed');
        return;
      }
      this.scheduleReconnect();
    };
    bus.onerror = (err) => console.warn('event bus error:', err);
  }

  scheduleReconnect() {
    this.setStatus('reconnecting');
    const delay = backoffDelay(this.attempt++, this.backoff, this.random);
    this.timer = this.timers.setTimeout(() => this.connect(), delay);
  }

  get open() {
    return !!this.bus && this.bus.state === OPEN;
  }

  /** Registers `handler(body)` for pushes to `address` on the current socket. */
  register(address, handler, onError = (err) => console.warn(`register ${address}:`, err)) {
    if (!this.open) throw new Error('not connected');
    this.bus.registerHandler(address, {}, (err, message) => {
      if (err) onError(err);
      else handler(message.body);
    });
  }

  /** Sends a request; resolves with the reply body, rejects with {failureCode, message}. */
  request(address, body = {}) {
    return new Promise((resolve, reject) => {
      if (!this.open) {
        reject({ failureCode: 0, message: 'not connected' });
        return;
      }
      let done = false;
      const timer = this.timers.setTimeout(() => {
        if (done) return;
        done = true;
        reject({ failureCode: 0, message: 'no answer' });
      }, this.requestTimeout);
      try {
        this.bus.send(address, body, {}, (err, message) => {
          if (done) return;
          done = true;
          this.timers.clearTimeout(timer);
          if (err) reject(err);
          else resolve(message.body);
        });
      } catch (e) {
        done = true;
        this.timers.clearTimeout(timer);
        reject({ failureCode: 0, message: 'not connected' });
      }
    });
  }

  /** Closes the socket the way a dropped network would: the connection then comes back. */
  drop() {
    if (this.bus) this.bus.close();
  }

  stop() {
    this.stopped = true;
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const bus = this.bus;
    this.bus = null;
    if (bus) bus.close();
    this.setStatus('closed');
  }
}
