package io.officehours.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Three replicas, each fed the same events in its own random order (delivery delays), keeping only
 * what the directory guarantees: the events of one connection arrive in the order they happened.
 * Every replica must end equal to the expected state.
 */
@DisplayName("Replicas fed one history in different orders converge")
class PresenceConvergenceTest {

  @RepeatedTest(20)
  void randomHistoriesConverge() {
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    List<List<PresenceEvent>> perConnection = new ArrayList<>();
    Map<String, Meta> expected = new LinkedHashMap<>();
    Map<String, String> expectedUser = new HashMap<>();
    for (int c = 0; c < 300; c++) {
      String user = "u" + random.nextInt(60);
      String ref = "n" + (c % 3) + "-" + c;
      Meta meta = new Meta(ref, "n" + (c % 3), random.nextBoolean() ? "student" : "teacher", "idle", c, null);
      List<PresenceEvent> events = new ArrayList<>();
      events.add(new PresenceEvent.Joined(user, ref, meta, "n" + (c % 3)));
      int updates = random.nextInt(4);
      for (int u = 1; u <= updates; u++) {
        meta = meta.withStatus(random.nextBoolean() ? "waiting" : "chatting", ref + "." + u);
        events.add(new PresenceEvent.Updated(user, ref, meta));
      }
      if (random.nextInt(3) == 0) {
        events.add(new PresenceEvent.Left(user, ref));
      } else {
        expected.put(ref, meta);
        expectedUser.put(ref, user);
      }
      perConnection.add(events);
    }
    for (int replica = 0; replica < 3; replica++) {
      PresenceState state = new PresenceState();
      PresenceDiff all = new PresenceDiff();
      for (PresenceEvent e : interleave(perConnection, random)) all.addAll(apply(state, e));
      assertEquals(expected.size(), state.metaCount(), "replica " + replica + " seed " + seed);
      for (Map.Entry<String, Meta> e : expected.entrySet()) {
        assertEquals(e.getValue(), state.meta(expectedUser.get(e.getKey()), e.getKey()), "seed " + seed);
      }
      // node n2 dies: every replica drops its connections and ends equal again
      state.dropOwner("n2");
      long survivors = expected.keySet().stream().filter(ref -> !ref.startsWith("n2-")).count();
      assertEquals(survivors, state.metaCount(), "after node down, seed " + seed);
    }
  }

  private static PresenceDiff apply(PresenceState state, PresenceEvent e) {
    if (e instanceof PresenceEvent.Joined j) return state.join(j.userId(), j.connectionRef(), j.meta(), j.owner());
    if (e instanceof PresenceEvent.Updated u) return state.replace(u.userId(), u.connectionRef(), u.meta());
    return state.leave(e.userId(), e.connectionRef());
  }

  /** A random merge of the per-connection streams that keeps each stream's own order. */
  private static List<PresenceEvent> interleave(List<List<PresenceEvent>> streams, Random random) {
    List<PresenceEvent> out = new ArrayList<>();
    List<Integer> cursors = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      cursors.add(0);
      open.add(i);
    }
    while (!open.isEmpty()) {
      int pick = random.nextInt(open.size());
      int stream = open.get(pick);
      out.add(streams.get(stream).get(cursors.get(stream)));
      cursors.set(stream, cursors.get(stream) + 1);
      if (cursors.get(stream) == streams.get(stream).size()) open.remove(pick);
    }
    return out;
  }
}
