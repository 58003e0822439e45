package io.officehours.loadtest;

import java.util.BitSet;

/**
 * The {@code seq} numbers one participant received in one chat: each must arrive exactly once and
 * in increasing order. Counts duplicates and arrivals below an earlier seq as they come; what is
 * missing is known only against the number of lines the chat should have had.
 */
final class SeqTrack {
  private final BitSet seen = new BitSet();
  private long highest;
  private int duplicates;
  private int outOfOrder;

  void add(long seq) {
    if (seq < 1 || seq > Integer.MAX_VALUE) {
      duplicates++;
      return;
    }
    int s = (int) seq;
    if (seen.get(s)) duplicates++;
    else seen.set(s);
    if (seq < highest) outOfOrder++;
    highest = Math.max(highest, seq);
  }

  /** Seqs 1..expected that never arrived. */
  int missing(int expected) {
    return expected - seen.get(1, expected + 1).cardinality();
  }

  /** Distinct seqs above the expected last one. */
  int beyond(int expected) {
    return seen.length() > expected + 1 ? seen.get(expected + 1, seen.length()).cardinality() : 0;
  }

  int duplicates() {
    return duplicates;
  }

  int outOfOrder() {
    return outOfOrder;
  }

  long highest() {
    return highest;
  }
}
