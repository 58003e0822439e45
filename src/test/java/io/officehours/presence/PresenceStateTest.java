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
}
