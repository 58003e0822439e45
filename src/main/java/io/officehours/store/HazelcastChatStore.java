package io.officehours.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import io.officehours.chat.History;
import io.officehours.common.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's store when no Redis is configured: each chat is one entry of the
 * {@code officehours.chats} map (backup count 1), changed only by entry processors. An append runs
 * on the entry's owner, one at a time per chat, so seqs have no gaps whoever sends, and it runs
 * again on the backup, so an acknowledged line survives the loss of any one node. It lives in
 * memory only: losing the whole cluster loses the chats. Ended chats expire after a day.
 */
public final class HazelcastChatStore implements ChatStore {

  public static final String MAP = "officehours.chats";
  private static final long ENDED_TTL_HOURS = 24;

  private final IMap<String, ChatLog> map;
  private final Vertx vertx;
  private final GroupCommit commits;

  /** Calls must come from one Vert.x context (the chat verticle's): results come back on it. */
  public HazelcastChatStore(HazelcastInstance hazelcast, Vertx vertx) {
    this.map = hazelcast.getMap(MAP);
    this.vertx = vertx;
    var partitions = hazelcast.getPartitionService();
    this.commits = new GroupCommit(
        chatId -> partitions.getPartition(StringPartitioningStrategy.getPartitionKey(chatId)).getPartitionId(),
        (keys, batch) -> Future.fromCompletionStage(map.submitToKeys(keys, batch), context()));
  }

  private Context context() {
    return vertx.getOrCreateContext();
  }

  /** A value or a contract failure: exceptions do not travel well through Hazelcast. */
  private record Result<T extends Serializable>(T value, int code, String message) implements Serializable {
    static <T extends Serializable> Result<T> ok(T value) {
      return new Result<>(value, 0, null);
    }

    static <T extends Serializable> Result<T> fail(int code, String message) {
      return new Result<>(null, code, message);
    }
  }

  private <T extends Serializable> Future<T> submit(String chatId, EntryProcessor<String, ChatLog, Result<T>> processor) {
    return Future.succeededFuture().compose(v -> Future.fromCompletionStage(map.submitToKey(chatId, processor), context()))
        .compose(r -> r.code() == 0 ? Future.succeededFuture(r.value()) : Future.failedFuture(Failure.of(r.code(), r.message())));
  }

  @Override
  public Future<Void> create(Chat chat) {
    return submit(chat.chatId(), new Create(chat)).mapEmpty();
  }

  @Override
  public Future<ChatState> state(String chatId) {
    return submit(chatId, new ReadState());
  }

  @Override
  public Future<List<ChatState>> states(Collection<String> chatIds) {
    return Future.succeededFuture().compose(v -> Future.fromCompletionStage(map.submitToKeys(new HashSet<>(chatIds), new ReadState()), context()))
        .map(results -> {
          List<ChatState> out = new ArrayList<>();
          for (String id : chatIds) {
            Result<ChatState> r = results.get(id);
            if (r != null && r.value() != null) out.add(r.value());
          }
          return out;
        });
  }

  @Override
  public Future<ChatMessage> append(String chatId, String from, String text, long ts) {
    return commits.append(chatId, from, text, ts, null);
  }

  @Override
  public Future<ChatMessage> append(String chatId, String from, String text, long ts, String lineId) {
    return commits.append(chatId, from, text, ts, lineId);
  }

  @Override
  public Future<ChatState> end(String chatId, String by, String reason) {
    return commits.barrier(() -> submit(chatId, new End(by, reason)));
  }

  @Override
  public Future<History> history(String chatId, long afterSeq) {
    return submit(chatId, new ReadHistory(afterSeq));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static final class ReadState implements EntryProcessor<String, ChatLog, Result<ChatState>>, ReadOnly {
    @Override
    public Result<ChatState> process(Map.Entry<String, ChatLog> entry) {
      return Result.ok(entry.getValue() == null ? null : entry.getValue().state);
    }

    @Override
    public EntryProcessor<String, ChatLog, Result<ChatState>> getBackupProcessor() {
      return null;
    }
  }

  private record ReadHistory(long afterSeq) implements EntryProcessor<String, ChatLog, Result<History>>, ReadOnly {
    @Override
    public Result<History> process(Map.Entry<String, ChatLog> entry) {
      ChatLog log = entry.getValue();
      if (log == null) return Result.fail(Failure.NOT_FOUND, "no such chat");
      int from = (int) Math.min(Math.max(afterSeq, 0), log.lines.size());
      return Result.ok(new History(new ArrayList<>(log.lines.subList(from, log.lines.size())), true, log.state));
    }

    @Override
    public EntryProcessor<String, ChatLog, Result<History>> getBackupProcessor() {
      return null;
    }
  }

  private record Create(Chat chat) implements EntryProcessor<String, ChatLog, Result<ChatState>> {
    @Override
    public Result<ChatState> process(Map.Entry<String, ChatLog> entry) {
      if (entry.getValue() != null) return Result.fail(Failure.CONFLICT, "chat exists already");
      ChatLog log = new ChatLog(ChatState.opened(chat));
      entry.setValue(log);
      return Result.ok(log.state);
    }
  }

  private record End(String by, String reason) implements EntryProcessor<String, ChatLog, Result<ChatState>> {
    @Override
    public Result<ChatState> process(Map.Entry<String, ChatLog> entry) {
      ChatLog log = entry.getValue();
      if (log == null) return Result.fail(Failure.NOT_FOUND, "no such chat");
      if (!log.state.open()) return Result.fail(Failure.CONFLICT, "the chat has ended already");
      log.state = log.state.ended(by, reason);
      // no line is stored after the end, so no repeat needs recognising: an ended chat kept for a day holds no ids
      log.recentIds.clear();
      ((ExtendedMapEntry<String, ChatLog>) entry).setValue(log, ENDED_TTL_HOURS, TimeUnit.HOURS);
      return Result.ok(log.state);
    }
  }
}
