package io.officehours.store;

import java.util.List;

/**
 * The names of the store's keys. A chat's hash and log share the hash tag {@code {chatId}}, so they
 * sit in one slot and a script may touch both; the store-wide {@code epoch} and {@code lost} keys
 * do not, which is why the store runs against one Redis (or a primary with replicas), not a
 * Redis Cluster.
 */
record RedisKeys(String prefix) {

  /** Written once per dataset; its disappearance means Redis lost its data. */
  String epoch() {
    return prefix + "epoch";
  }

  /** When a loss of data was detected (ms since the epoch); expires with the ended-chat TTL. */
  String lost() {
    return prefix + "lost";
  }

  /** Hash: participants, startedAt, state, lastSeq, endedBy, reason. */
  String chat(String chatId) {
    return prefix + "chat:{" + chatId + "}";
  }

  /** Stream: one entry per line, id {@code <seq>-0}. */
  String log(String chatId) {
    return chat(chatId) + ":log";
  }

  /** The KEYS of every script call, in the order the script reads them. */
  List<String> forScript(String chatId) {
    return List.of(epoch(), lost(), chat(chatId), log(chatId));
  }
}
