// One chat's lines on the client, keyed by `seq` (1, 2, 3, ... with no gaps on the server).
// Lines come from pushes (`chat.message`) and from `tutor.chat.history` replies, in any order and
// possibly twice (a push that races a history reply after a reconnect): a seq is kept once, and
// the lines are always listed in seq order. `lastSeq` is the highest seq up to which nothing is
// missing: the `afterSeq` to ask for after a reconnect, so a gap is filled rather than skipped.

export class ChatLog {
  constructor(chat) {
    this.chat = { ...chat };
    this.chatId = chat.chatId;
    this.lines = []; // sorted by seq
    this.seqs = new Set();
    this.contiguous = 0;
    this.state = chat.state === 'ended' ? 'ended' : 'open';
    this.endedBy = chat.endedBy ?? null;
    this.reason = chat.reason ?? null;
    this.complete = true;
  }

  /**
   * Adds one Message ({chatId, seq, from, text, ts}). Returns the index it now has in `lines`,
   * or -1 when it was already there (or is not a line of this chat).
   */
  add(message) {
    if (!message || (message.chatId && message.chatId !== this.chatId)) return -1;
    const seq = message.seq;
    if (!Number.isInteger(seq) || seq < 1 || this.seqs.has(seq)) return -1;
    this.seqs.add(seq);
    let index = this.lines.length;
    while (index > 0 && this.lines[index - 1].seq > seq) index--;
    this.lines.splice(index, 0, { chatId: this.chatId, seq, from: message.from, text: message.text, ts: message.ts });
    while (this.seqs.has(this.contiguous + 1)) this.contiguous++;
    return index;
  }

  /** Highest seq with every line up to it present: use as `afterSeq`. */
  get lastSeq() {
    return this.contiguous;
  }

  /** True when a line is known to be missing (a later seq arrived first). */
  get hasGap() {
    return this.lines.length > 0 && this.lines[this.lines.length - 1].seq > this.contiguous;
  }

  end(by = null, reason = 'ended') {
    const changed = this.state !== 'ended';
    this.state = 'ended';
    this.endedBy = this.endedBy ?? by;
    this.reason = this.reason ?? reason;
    return changed;
  }

  /**
   * Applies a `tutor.chat.history` reply ({messages, complete, chat}). Returns the lines that were
   * new, each with its index at the time it was added, in the order they were added.
   */
  applyHistory(reply) {
    const added = [];
    for (const message of (reply && reply.messages) || []) {
      const index = this.add(message);
      if (index >= 0) added.push({ index, line: this.lines[index] });
    }
    if (reply && reply.complete === false) this.complete = false;
    const chat = reply && reply.chat;
    if (chat && chat.state === 'ended') this.end(chat.endedBy ?? null, chat.reason ?? 'ended');
    return added;
  }
}
