package io.officehours.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("UserNodes: where a push to a user must go")
class UserNodesTest {

  private final UserNodes nodes = new UserNodes("a", () -> List.of("a", "b", "c"));

  @Test
  @DisplayName("a user nobody knows is pushed to every node")
  void unknownGoesEverywhere() {
    assertArrayEquals(new String[] {"a", "b", "c"}, nodes.of("u"));
  }

  @Test
  @DisplayName("each node holding a connection once, until its last connection there leaves")
  void distinctNodesOfConnections() {
    nodes.joined("u", "r1", "b");
    nodes.joined("u", "r2", "b");
    nodes.joined("u", "r3", "c");
    assertArrayEquals(new String[] {"b", "c"}, sorted(nodes.of("u")));
    nodes.left("u", "r1");
    assertArrayEquals(new String[] {"b", "c"}, sorted(nodes.of("u")));
    nodes.left("u", "r2");
    assertArrayEquals(new String[] {"c"}, nodes.of("u"));
    nodes.left("u", "r3");
    assertArrayEquals(new String[] {"a", "b", "c"}, nodes.of("u"), "no connection left: unknown again");
  }

  @Test
  @DisplayName("an announced connection counts at once; presence confirms it later, and its leave removes it")
  void announcedThenConfirmed() {
    nodes.joined("u", "r1", "b");
    nodes.announced("u", "r2", "c", 0);
    assertArrayEquals(new String[] {"b", "c"}, sorted(nodes.of("u")));
    nodes.joined("u", "r2", "c");
    nodes.sweep(UserNodes.UNCONFIRMED_MS * 2);
    assertArrayEquals(new String[] {"b", "c"}, sorted(nodes.of("u")), "a confirmed connection is never swept");
    nodes.left("u", "r2");
    assertArrayEquals(new String[] {"b"}, nodes.of("u"));
  }

  @Test
  @DisplayName("an announcement presence never confirms (the socket closed at once) is swept after a while")
  void unconfirmedIsSwept() {
    nodes.joined("u", "r1", "b");
    nodes.left("u", "r1");
    nodes.announced("u", "r1", "b", 1_000);
    assertArrayEquals(new String[] {"b"}, nodes.of("u"));
    nodes.sweep(1_000 + UserNodes.UNCONFIRMED_MS / 2);
    assertArrayEquals(new String[] {"b"}, nodes.of("u"), "not yet");
    nodes.sweep(1_001 + UserNodes.UNCONFIRMED_MS);
    assertArrayEquals(new String[] {"a", "b", "c"}, nodes.of("u"));
  }

  @Test
  @DisplayName("a node that left holds nobody any more")
  void nodeLeft() {
    nodes.joined("u", "r1", "b");
    nodes.announced("u", "r2", "c", 0);
    nodes.joined("v", "r3", "c");
    nodes.nodeLeft("c");
    assertArrayEquals(new String[] {"b"}, nodes.of("u"));
    assertArrayEquals(new String[] {"a", "b", "c"}, nodes.of("v"));
  }

  private static String[] sorted(String[] a) {
    String[] copy = a.clone();
    java.util.Arrays.sort(copy);
    return copy;
  }
}
