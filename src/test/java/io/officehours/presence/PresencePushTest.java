package io.officehours.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.NodeTest;
import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("tutor.presence shows staff who is online, one meta per connection, as a state and then diffs")
class PresencePushTest extends NodeTest {

  private static boolean isDiff(JsonObject p) {
    return "presence.diff".equals(p.getString("type"));
  }

  private static JsonArray metas(JsonObject byUser, String user) {
    JsonObject entry = byUser.getJsonObject(user);
    return entry == null ? new JsonArray() : entry.getJsonArray("metas");
  }

  private static Predicate<JsonObject> diffWith(String side, String user) {
    return p -> isDiff(p) && p.getJsonObject(side).containsKey(user);
  }

  private void assertMeta(JsonObject meta, String role, String status) {
    assertEquals(Set.of("ref", "node", "role", "status", "onlineAt"),
        new HashSet<>(meta.copy().fieldNames()).stream().filter(f -> !f.equals("prevRef")).collect(java.util.stream.Collectors.toSet()),
        "meta fields: " + meta);
    assertNotNull(meta.getString("ref"));
    assertEquals(node.config.nodeId(), meta.getString("node"));
    assertEquals(role, meta.getString("role"));
    assertEquals(status, meta.getString("status"));
    long onlineAt = meta.getLong("onlineAt");
    assertTrue(Math.abs(System.currentTimeMillis() - onlineAt) < 60_000, "onlineAt is a recent epoch millis: " + onlineAt);
  }

  @Test
  @Timeout(20)
  @DisplayName("state first, then a join per connection, a status change as leave-and-join in one diff, and leaves on close")
  void stateThenDiffs() {
    BridgeClient teacher = node.connect("t1", "teacher");
    Pushes pushes = new Pushes();
    teacher.register("tutor.presence", pushes::add);
    JsonObject state = pushes.await("presence.state");
    assertEquals(state, pushes.all().get(0), "the state is the first frame");
    assertEquals(Set.of("t1"), state.getJsonObject("presences").fieldNames());
    JsonArray own = metas(state.getJsonObject("presences"), "t1");
    assertEquals(1, own.size());
    assertMeta(own.getJsonObject(0), "teacher", "idle");

    BridgeClient tab1 = node.connect("s1", "student");
    JsonObject joined = pushes.await(diffWith("joins", "s1"));
    JsonArray joinedMetas = metas(joined.getJsonObject("joins"), "s1");
    assertEquals(1, joinedMetas.size());
    assertMeta(joinedMetas.getJsonObject(0), "student", "idle");
    String ref1 = joinedMetas.getJsonObject(0).getString("ref");

    TestNode.await(tab1.request("tutor.student.ready", new JsonObject()));
    JsonObject change = pushes.await(diffWith("leaves", "s1"));
    JsonArray left = metas(change.getJsonObject("leaves"), "s1");
    JsonArray rejoined = metas(change.getJsonObject("joins"), "s1");
    assertEquals(1, left.size(), "the old meta leaves: " + change);
    assertEquals(ref1, left.getJsonObject(0).getString("ref"));
    assertEquals("idle", left.getJsonObject(0).getString("status"));
    assertEquals(1, rejoined.size(), "the new meta joins in the same diff: " + change);
    assertMeta(rejoined.getJsonObject(0), "student", "waiting");
    assertNotEquals(ref1, rejoined.getJsonObject(0).getString("ref"), "a changed meta has a new ref");
    String waitingRef = rejoined.getJsonObject(0).getString("ref");

    BridgeClient tab2 = node.connect("s1", "student");
    JsonObject second = pushes.await(diffWith("joins", "s1"));
    JsonArray secondMetas = metas(second.getJsonObject("joins"), "s1");
    assertEquals(1, secondMetas.size());
    assertMeta(secondMetas.getJsonObject(0), "student", "waiting");
    String ref2 = secondMetas.getJsonObject(0).getString("ref");
    assertNotEquals(waitingRef, ref2);

    // a fresh subscriber sees one user with two metas
    Pushes adminPushes = new Pushes();
    node.connect("admin1", "admin").register("tutor.presence", adminPushes::add);
    JsonObject adminState = adminPushes.await("presence.state").getJsonObject("presences");
    assertEquals(Set.of("t1", "s1", "admin1"), adminState.fieldNames());
    JsonArray both = metas(adminState, "s1");
    assertEquals(2, both.size(), "two tabs, two metas: " + both);
    assertEquals(Set.of(waitingRef, ref2), Set.of(both.getJsonObject(0).getString("ref"), both.getJsonObject(1).getString("ref")));
    assertMeta(metas(adminState, "admin1").getJsonObject(0), "admin", "idle");
    pushes.await(diffWith("joins", "admin1"));

    TestNode.await(tab2.close());
    JsonObject leave2 = pushes.await(diffWith("leaves", "s1"));
    assertEquals(List.of(ref2), refs(metas(leave2.getJsonObject("leaves"), "s1")));
    assertTrue(leave2.getJsonObject("joins").isEmpty(), "a close only leaves: " + leave2);
    TestNode.await(tab1.close());
    JsonObject leave1 = pushes.await(diffWith("leaves", "s1"));
    assertEquals(List.of(waitingRef), refs(metas(leave1.getJsonObject("leaves"), "s1")));
  }

  private static List<String> refs(JsonArray metas) {
    List<String> refs = new ArrayList<>();
    metas.forEach(m -> refs.add(((JsonObject) m).getString("ref")));
    return refs;
  }

  @Test
  @Timeout(20)
  @DisplayName("fifty students connecting at once arrive as a handful of diffs, not fifty")
  void burstIsBatched() {
    BridgeClient teacher = node.connect("t1", "teacher");
    Pushes pushes = new Pushes();
    teacher.register("tutor.presence", pushes::add);
    pushes.await("presence.state");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 50; i++) tokens.add(node.token("s" + i, "student"));

    List<Future<BridgeClient>> connects = new ArrayList<>();
    for (String token : tokens) connects.add(BridgeClient.connect(node.ws, "127.0.0.1", node.port, token));
    TestNode.await(Future.all(connects));

    Set<String> joined = new HashSet<>();
    List<JsonObject> diffs = new ArrayList<>();
    while (joined.size() < 50) {
      JsonObject diff = pushes.await(PresencePushTest::isDiff);
      diffs.add(diff);
      joined.addAll(diff.getJsonObject("joins").fieldNames());
      assertTrue(diff.getJsonObject("leaves").isEmpty(), "nobody left: " + diff);
    }
    assertEquals(50, joined.size());
    System.out.printf("presence: 50 joins in %d diffs%n", diffs.size());
    assertTrue(diffs.size() <= 10, "50 joins came in " + diffs.size() + " diffs");
    int metaCount = diffs.stream().mapToInt(d -> d.getJsonObject("joins").stream()
        .mapToInt(e -> ((JsonObject) e.getValue()).getJsonArray("metas").size()).sum()).sum();
    assertEquals(50, metaCount, "one meta per connection, each joined once");
  }
}
