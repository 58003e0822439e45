package io.officehours.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PresenceState: users, metas and the diffs they cause")
class PresenceStateTest {

  private final PresenceState state = new PresenceState();

  private static Meta meta(String ref, String role) {
    return new Meta(ref, "n1", role, "idle", 1L, null);
  }

  @Test
  @DisplayName("two tabs are one user with two metas; closing one keeps the user online")
  void multiTab() {
    state.join("s1", "r1", meta("r1", "student"));
    state.join("s1", "r2", meta("r2", "student"));
    assertEquals(1, state.count("student"));
    assertEquals(2, state.list().getJsonObject("s1").getJsonArray("metas").size());
    PresenceDiff diff = state.leave("s1", "r1");
    assertEquals("r1", diff.leaves().get("s1").get(0).ref());
    assertTrue(state.isOnline("s1"));
    state.leave("s1", "r2");
    assertFalse(state.isOnline("s1"));
    assertEquals(0, state.count("student"));
  }

  @Test
  @DisplayName("a duplicate track and an unknown leave change nothing")
  void duplicates() {
    state.join("s1", "r1", meta("r1", "student"));
    assertTrue(state.join("s1", "r1", meta("r1", "student")).isEmpty());
    assertTrue(state.leave("s1", "nope").isEmpty());
    assertTrue(state.leave("ghost", "r1").isEmpty());
    assertEquals(1, state.metaCount());
  }

  @Test
  @DisplayName("a status change is a leave of the old meta and a join of a new one that names it")
  void update() {
    state.join("s1", "r1", meta("r1", "student"));
    PresenceDiff diff = state.update("s1", "waiting");
    Meta left = diff.leaves().get("s1").get(0);
    Meta joined = diff.joins().get("s1").get(0);
    assertEquals("r1", left.ref());
    assertEquals("waiting", joined.status());
    assertEquals("r1", joined.prevRef());
    assertTrue(state.update("s1", "waiting").isEmpty(), "same status: no diff");
    // the connection is still tracked by its connection ref after the update
    assertFalse(state.leave("s1", "r1").isEmpty());
  }

  @Test
  @DisplayName("a batch in which a meta joins and leaves shows nothing of it")
  void batchCancels() {
    PresenceDiff batch = new PresenceDiff();
    batch.addAll(state.join("s1", "r1", meta("r1", "student")));
    batch.addAll(state.join("s2", "r2", meta("r2", "student")));
    batch.addAll(state.leave("s1", "r1"));
    JsonObject json = batch.toJson();
    assertEquals("presence.diff", json.getString("type"));
    assertFalse(json.getJsonObject("joins").containsKey("s1"));
    assertTrue(json.getJsonObject("joins").containsKey("s2"));
    assertTrue(json.getJsonObject("leaves").isEmpty());
  }

  @Test
  @DisplayName("node down: every connection the node held leaves in one diff; other nodes' stay")
  void nodeDown() {
    state.join("s1", "a1", meta("a1", "student"), "nodeA");
    state.join("s1", "b1", meta("b1", "student"), "nodeB");
    state.join("t1", "a2", meta("a2", "teacher"), "nodeA");
    PresenceDiff diff = state.dropOwner("nodeA");
    assertEquals(2, diff.leaves().size());
    assertTrue(state.isOnline("s1"), "s1 keeps its tab on node B");
    assertFalse(state.isOnline("t1"));
    assertEquals(0, state.count("teacher"));
    assertTrue(state.dropOwner("nodeA").isEmpty(), "dropping twice changes nothing");
    assertTrue(state.leave("t1", "a2").isEmpty(), "the directory's late removal finds nothing");
  }

  @Test
  @DisplayName("node up with a new incarnation: its new connections join, the old ones never come back")
  void newIncarnation() {
    state.join("s1", "nodeA-inc1-1", meta("nodeA-inc1-1", "student"), "owner-1");
    state.dropOwner("owner-1");
    PresenceDiff diff = state.join("s1", "nodeA-inc2-1", meta("nodeA-inc2-1", "student"), "owner-2");
    assertEquals("nodeA-inc2-1", diff.joins().get("s1").get(0).ref());
    assertEquals(1, state.metaCount());
    assertTrue(state.dropOwner("owner-1").isEmpty());
  }

  @Test
  @DisplayName("a large diff splits into parts of at most N users, joins first, that apply to the same result")
  void split() {
    PresenceDiff big = new PresenceDiff();
    for (int i = 0; i < 7; i++) big.addAll(state.join("u" + i, "r" + i, meta("r" + i, "student")));
    for (int i = 0; i < 3; i++) big.addAll(state.leave("u" + i, "r" + i));
    // joins and leaves of the same ref cancel inside one batch: 4 joins remain
    assertEquals(4, big.joins().size());
    PresenceDiff more = new PresenceDiff();
    for (int i = 3; i < 6; i++) more.addAll(state.leave("u" + i, "r" + i));
    java.util.List<PresenceDiff> parts = more.split(2);
    assertEquals(2, parts.size());
    assertEquals(2, parts.get(0).leaves().size());
    assertEquals(1, parts.get(1).leaves().size());
    assertEquals(1, big.split(3).get(1).joins().size());
  }

  @Test
  @DisplayName("resync after a heal: what the directory has joins, what it lost leaves, a changed meta is replaced, the rest is untouched")
  void resync() {
    state.join("s1", "r1", meta("r1", "student"), "n1");
    state.join("s2", "r2", meta("r2", "student"), "n1");
    state.join("t1", "r3", meta("r3", "teacher"), "n2");
    Meta chatting = new Meta("r3.1", "n2", "teacher", "chatting", 1L, "r3");
    PresenceDiff diff = state.resync(java.util.List.of(
        new PresenceEvent.Joined("s1", "r1", meta("r1", "student"), "n1"),
        new PresenceEvent.Joined("t1", "r3", chatting, "n2"),
        new PresenceEvent.Joined("s9", "r9", meta("r9", "student"), "n3")));
    assertEquals(java.util.Set.of("t1", "s9"), diff.joins().keySet());
    assertEquals(java.util.Set.of("s2", "t1"), diff.leaves().keySet());
    assertEquals("chatting", state.meta("t1", "r3").status());
    assertFalse(state.isOnline("s2"));
    assertEquals(3, state.metaCount());
    assertTrue(state.resync(java.util.List.of(
        new PresenceEvent.Joined("s1", "r1", meta("r1", "student"), "n1"),
        new PresenceEvent.Joined("t1", "r3", chatting, "n2"),
        new PresenceEvent.Joined("s9", "r9", meta("r9", "student"), "n3"))).isEmpty(), "the same content again: no diff");
    // the owners came back too: the node's loss drops what it holds
    assertEquals(java.util.Set.of("s9"), state.dropOwner("n3").leaves().keySet());
  }
}
