package io.officehours.store;

import io.officehours.chat.ChatMessage;
import io.officehours.common.Failure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Group commit of the Hazelcast store's writes: one write at a time is in flight, and the lines
 * asked for meanwhile go together in the next one, as one {@link AppendBatch} per partition (one
 * operation on the partition's owner, one on its backup) instead of one pair per line. Idle, a
 * line goes at once; under load a batch holds what came in during one round trip.
 *
 * <p>Order: writes leave in the order they were asked for. Other writes of a chat (its end) are
 * barriers: they go alone, after the lines asked for before them, so a line that reached the
 * owner before the end is stored, and one after it is refused. Calls come from one context (the
 * chat verticle's), where the results come back too.
 */
final class GroupCommit {

  private record Line(String chatId, AppendBatch.Line line, Promise<ChatMessage> done) {}

  private record Barrier<T>(Supplier<Future<T>> write, Promise<T> done) {
    Future<T> run() {
      Future<T> f;
      try {
        f = write.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      return f.onComplete(done);
    }
  }

  private final ToIntFunction<String> partitionOf;
  private final BiFunction<Set<String>, AppendBatch, Future<Map<String, long[]>>> submit;
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean busy;

  /** {@code partitionOf}: a chat id's partition; {@code submit}: runs a batch on those chats' entries: the seqs of each chat's lines, or a failure code (negative). */
  GroupCommit(ToIntFunction<String> partitionOf, BiFunction<Set<String>, AppendBatch, Future<Map<String, long[]>>> submit) {
    this.partitionOf = partitionOf;
    this.submit = submit;
  }

  Future<ChatMessage> append(String chatId, String from, String text, long ts, String lineId) {
    Promise<ChatMessage> done = Promise.promise();
    queue.add(new Line(chatId, new AppendBatch.Line(from, text, ts, lineId), done));
    pump();
    return done.future();
  }

  <T> Future<T> barrier(Supplier<Future<T>> write) {
    Promise<T> done = Promise.promise();
    queue.add(new Barrier<>(write, done));
    pump();
    return done.future();
  }

  private void pump() {
    if (busy || queue.isEmpty()) return;
    busy = true;
    Future<?> step = queue.peek() instanceof Barrier<?> ? ((Barrier<?>) queue.poll()).run() : commitLines();
    step.onComplete(done -> {
      busy = false;
      pump();
    });
  }

  private Future<?> commitLines() {
    Map<Integer, LinkedHashMap<String, List<Line>>> byPartition = new HashMap<>(4);
    while (queue.peek() instanceof Line line) {
      queue.poll();
      byPartition.computeIfAbsent(partitionOf.applyAsInt(line.chatId()), p -> new LinkedHashMap<>())
          .computeIfAbsent(line.chatId(), c -> new ArrayList<>(2)).add(line);
    }
    List<Future<?>> parts = new ArrayList<>(byPartition.size());
    for (LinkedHashMap<String, List<Line>> chats : byPartition.values()) {
      Map<String, List<AppendBatch.Line>> lines = new HashMap<>(chats.size() * 2);
      chats.forEach((chatId, list) -> {
        List<AppendBatch.Line> of = new ArrayList<>(list.size());
        list.forEach(l -> of.add(l.line()));
        lines.put(chatId, of);
      });
      parts.add(submit.apply(chats.keySet(), new AppendBatch(lines)).onComplete(ar -> chats.forEach((chatId, list) -> {
        if (ar.failed()) list.forEach(l -> l.done().fail(ar.cause()));
        else answer(chatId, list, ar.result().get(chatId));
      })));
    }
    return Future.join(parts);
  }

  /** A chat's lines get their seqs, in order, or all fail with the one refusal {@link AppendBatch} gave. */
  private static void answer(String chatId, List<Line> list, long[] seqs) {
    if (seqs == null || seqs[0] < 0) {
      RuntimeException refused = seqs != null && seqs[0] == -Failure.CONFLICT
          ? Failure.of(Failure.CONFLICT, "the chat has ended") : Failure.of(Failure.NOT_FOUND, "no such chat");
      list.forEach(l -> l.done().fail(refused));
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      AppendBatch.Line l = list.get(i).line();
      list.get(i).done().complete(new ChatMessage(chatId, seqs[i], l.from(), l.text(), l.ts()));
    }
  }
}
