package io.officehours.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.officehours.chat.Chat;
import io.officehours.chat.ChatMessage;
import io.officehours.chat.ChatState;
import io.officehours.cluster.TestCluster;
import io.officehours.common.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Hazelcast store's group commit, on a real member: lines asked for together go in batches,
 * each chat's seqs follow the order its lines were asked for, and an end is a barrier.
 */
@DisplayName("HazelcastChatStore: lines asked for at once are committed in batches, in order, with an end as a barrier")
@Timeout(60)
class HazelcastChatStoreTest {

  private static TestCluster cluster;
  private static Vertx vertx;
  private static HazelcastChatStore store;
  private static Context context;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    vertx = cluster.members.get(0).node().vertx();
    store = new HazelcastChatStore(cluster.members.get(0).node().hazelcast(), vertx);
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** Runs on the store's one context, as the chat verticle does. */
  private static <T> T onContext(Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return TestNode.await(done.future());
  }

  private static String newChat() {
    String id = UUID.randomUUID() + "@home";
    onContext(() -> store.create(new Chat(id, "t", "s", 1)));
    return id;
  }

  @Test
  @DisplayName("200 lines over 5 chats asked for without waiting: every chat's seqs are 1..40 in the order asked")
  void linesInOrder() {
    List<String> chats = new ArrayList<>();
    for (int c = 0; c < 5; c++) chats.add(newChat());
    List<ChatMessage> lines = onContext(() -> {
      List<Future<ChatMessage>> asked = new ArrayList<>();
      for (int i = 1; i <= 40; i++) {
        for (String chat : chats) asked.add(store.append(chat, "s", "line " + i, i));
      }
      return Future.all(asked).map(all -> all.<ChatMessage>list());
    });
    for (ChatMessage m : lines) assertEquals("line " + m.seq(), m.text(), "seq follows the order asked for");
    for (String chat : chats) {
      var history = onContext(() -> store.history(chat, 0));
      assertEquals(40, history.messages().size());
      for (int i = 0; i < 40; i++) assertEquals(i + 1, history.messages().get(i).seq());
      assertEquals(40, history.chat().lastSeq());
    }
  }

  @Test
  @DisplayName("a line asked for before the end is stored, one after it is refused with 409, and an unknown chat's line with 404")
  void endIsABarrier() {
    String chat = newChat();
    String other = newChat();
    List<Future<?>> outcomes = onContext(() -> {
      List<Future<?>> asked = new ArrayList<>();
      asked.add(store.append(chat, "s", "before", 1));
      asked.add(store.end(chat, "t", ChatState.ENDED));
      asked.add(store.append(chat, "s", "after", 2));
      asked.add(store.append("no-such-chat@home", "s", "lost", 3));
      asked.add(store.append(other, "s", "fine", 4));
      return Future.join(asked).map(v -> asked).otherwise(asked);
    });
    assertTrue(outcomes.get(0).succeeded());
    assertEquals(1, ((ChatMessage) outcomes.get(0).result()).seq());
    assertTrue(outcomes.get(1).succeeded());
    assertEquals(Failure.CONFLICT, Failure.codeOf(outcomes.get(2).cause()));
    assertEquals(Failure.NOT_FOUND, Failure.codeOf(outcomes.get(3).cause()));
    assertEquals(1, ((ChatMessage) outcomes.get(4).result()).seq());
    assertEquals(1, onContext(() -> store.history(chat, 0)).messages().size());
  }

  @Test
  @DisplayName("a line asked for again under the same id (its owner died before answering) gets its first seq and is stored once")
  void repeatedLineStoredOnce() {
    String chat = newChat();
    List<ChatMessage> lines = onContext(() -> Future.all(
            store.append(chat, "s", "once", 1, "n1:7"),
            store.append(chat, "s", "other", 2, "n1:8"),
            store.append(chat, "s", "once", 3, "n1:7"))
        .map(all -> all.<ChatMessage>list()));
    assertEquals(1, lines.get(0).seq());
    assertEquals(2, lines.get(1).seq());
    assertEquals(1, lines.get(2).seq(), "the repeat gets the seq of the first");
    assertEquals(List.of("once", "other"), onContext(() -> store.history(chat, 0)).messages().stream().map(ChatMessage::text).toList());
    com.hazelcast.map.IMap<String, ChatLog> map = cluster.members.get(0).node().hazelcast().getMap(HazelcastChatStore.MAP);
    assertEquals(2, map.get(chat).recentIds.size());
    onContext(() -> store.end(chat, "t", ChatState.ENDED));
    assertEquals(0, map.get(chat).recentIds.size(), "an ended chat keeps no line ids");
  }
}
