package io.officehours.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast runs a change again on the new owner when the old one died before answering, and the
 * new owner (the old backup) has applied it already: the roster recognises the retry by its op id.
 */
@DisplayName("a roster change retried after its owner died is not applied twice")
class RosterRetryTest {

  private static Map.Entry<String, Roster> entryWith(String... waiting) {
    Roster roster = new Roster(5);
    for (String s : waiting) roster.ready(s);
    return new AbstractMap.SimpleEntry<>("roster", roster);
  }

  @Test
  void aRetriedClaimTakesTheSameStudentOnce() {
    Map.Entry<String, Roster> entry = entryWith("s1", "s2");
    var claim = new HazelcastRosterStore.Processor<>(new RosterOps.StartClaim("t1", "node-a", "chat-1"), 5, "op:1");
    Outcome<Roster.PendingClaim> first = claim.process(entry);
    Outcome<Roster.PendingClaim> retry = claim.process(entry);
    assertSame(first, retry);
    assertEquals("s1", first.value().studentId());
    assertEquals(Integer.valueOf(1), entry.getValue().position("s2"), "s2 still waits, first in line");
  }

  @Test
  void anotherClaimIsAnotherChange() {
    Map.Entry<String, Roster> entry = entryWith("s1", "s2");
    Outcome<Roster.PendingClaim> first = new HazelcastRosterStore.Processor<>(new RosterOps.StartClaim("t1", "node-a", "chat-2"), 5, "op:1").process(entry);
    Outcome<Roster.PendingClaim> second = new HazelcastRosterStore.Processor<>(new RosterOps.StartClaim("t1", "node-a", "chat-3"), 5, "op:2").process(entry);
    assertNotEquals(first.value().studentId(), second.value().studentId());
    assertNull(entry.getValue().position("s2"));
  }

  @Test
  void onlyTheLastChangesAreRemembered() {
    Map.Entry<String, Roster> entry = entryWith();
    for (int i = 0; i <= Roster.RECENT_OUTCOMES; i++) {
      new HazelcastRosterStore.Processor<>(new RosterOps.Ready("s" + i), 5, "op:" + i).process(entry);
    }
    assertNull(entry.getValue().outcomeOf("op:0"));
    assertEquals(Integer.valueOf(Roster.RECENT_OUTCOMES + 1), entry.getValue().outcomeOf("op:" + Roster.RECENT_OUTCOMES).value());
  }
}
