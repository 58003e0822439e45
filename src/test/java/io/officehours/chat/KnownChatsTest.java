package io.officehours.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.common.Failure;
import io.officehours.store.InMemoryChatStore;
import io.vertx.core.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("KnownChats: a chat's participants read once, kept, bounded")
class KnownChatsTest {

  private final InMemoryChatStore store = new InMemoryChatStore(1_000);

  private Chat chat(String id) {
    Chat chat = new Chat(id, "t-" + id, "s-" + id, 1L);
    assertTrue(store.create(chat).succeeded());
    return chat;
  }

  @Test
  @DisplayName("a chat opened here is known without a read; one in the store is read once and kept")
  void openedAndRead() {
    KnownChats known = new KnownChats(store, 10);
    Chat opened = chat("a");
    known.opened(opened);
    assertSame(opened, known.get("a").result());
    Chat stored = chat("b");
    Future<Chat> first = known.get("b");
    assertEquals(stored, first.result());
    assertSame(first, known.get("b"), "the second line waits on the same lookup");
    assertEquals(2, known.size());
  }

  @Test
  @DisplayName("an unknown chat is 404 and is not kept, so a chat created later is found")
  void unknownNotKept() {
    KnownChats known = new KnownChats(store, 10);
    Future<Chat> missing = known.get("c");
    assertTrue(missing.failed());
    assertEquals(Failure.NOT_FOUND, Failure.codeOf(missing.cause()));
    assertEquals(0, known.size());
    chat("c");
    assertTrue(known.get("c").succeeded());
  }

  @Test
  @DisplayName("an ended chat is forgotten, and past the capacity the least recently used chat goes")
  void endedAndBounded() {
    KnownChats known = new KnownChats(store, 2);
    for (String id : new String[] {"d", "e", "f"}) known.opened(chat(id));
    assertEquals(2, known.size());
    known.ended("f");
    assertEquals(1, known.size());
  }
}
