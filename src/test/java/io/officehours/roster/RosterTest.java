package io.officehours.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.common.Failure;
import io.vertx.core.eventbus.ReplyException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Roster: the queue and teacher capacity as plain state")
class RosterTest {

  private final Roster roster = new Roster(2);

  @Test
  @DisplayName("students wait in arrival order and ready is idempotent")
  void fifo() {
    assertEquals(1, roster.ready("a"));
    assertEquals(2, roster.ready("b"));
    assertEquals(1, roster.ready("a"));
    assertEquals("a", roster.startClaim("t", "n1", "chat-1").studentId());
    assertEquals(1, roster.position("b"));
    assertNull(roster.position("a"));
  }

  @Test
  @DisplayName("pending claims count toward capacity, and the claim past it fails with 409")
  void capacityCountsPendingClaims() {
    roster.ready("a");
    roster.ready("b");
    roster.ready("c");
    roster.startClaim("t", "n1", "chat-2");
    roster.startClaim("t", "n1", "chat-3");
    ReplyException e = assertThrows(ReplyException.class, () -> roster.startClaim("t", "n1", "chat-4"));
    assertEquals(Failure.CONFLICT, e.failureCode());
    assertEquals(1, roster.waiting());
  }

  @Test
  @DisplayName("an aborted claim puts the student back at its old place")
  void abortRestoresPlace() {
    roster.ready("a");
    roster.ready("b");
    Roster.PendingClaim claim = roster.startClaim("t", "n1", "chat-5");
    roster.abort(claim);
    assertEquals(1, roster.position("a"));
    assertEquals(2, roster.position("b"));
  }

  @Test
  @DisplayName("a released chat frees the teacher's slot and the student's status")
  void release() {
    roster.ready("a");
    Roster.PendingClaim claim = roster.startClaim("t", "n1", "chat-6");
    assertTrue(roster.confirm(claim, "c1"));
    assertEquals("chatting", roster.status("a"));
    assertEquals("chatting", roster.status("t"));
    assertEquals(1, roster.openChats());
    assertEquals("t", roster.release("c1").teacherId());
    assertNull(roster.release("c1"));
    assertEquals("idle", roster.status("a"));
    assertEquals(0, roster.openChats());
  }

  @Test
  @DisplayName("a student in a chat cannot ready again")
  void readyWhileChatting() {
    roster.ready("a");
    roster.confirm(roster.startClaim("t", "n1", "chat-7"), "c1");
    ReplyException e = assertThrows(ReplyException.class, () -> roster.ready("a"));
    assertEquals(Failure.CONFLICT, e.failureCode());
  }

  @Test
  @DisplayName("while a claim opens a student's chat, its ready is neither a place nor a refusal, and both sides show a claim pending")
  void readyWhileBeingClaimed() {
    roster.ready("a");
    Roster.PendingClaim claim = roster.startClaim("t", "n1", "chat-8");
    assertNull(roster.ready("a"));
    assertTrue(roster.claimPending("a"));
    assertTrue(roster.claimPending("t"));
    roster.abort(claim);
    assertFalse(roster.claimPending("a"));
    assertFalse(roster.claimPending("t"));
    assertEquals(1, roster.ready("a"));
  }

  @Test
  @DisplayName("a departing teacher's chats are returned in start order; requeued students go ahead of waiting ones")
  void teacherDeparture() {
    roster.ready("a");
    roster.ready("b");
    roster.confirm(roster.startClaim("t", "n1", "chat-9"), "c1");
    roster.confirm(roster.startClaim("t", "n1", "chat-10"), "c2");
    roster.ready("x");
    Roster.Departure d = roster.depart("t");
    assertFalse(d.leftQueue());
    assertEquals(List.of("c1", "c2"), d.chatsToClose().stream().map(Roster.Assignment::chatId).toList());
    d.chatsToClose().forEach(a -> roster.release(a.chatId()));
    roster.requeueAtHead(List.of("a", "b"));
    assertEquals(1, roster.position("a"));
    assertEquals(2, roster.position("b"));
    assertEquals(3, roster.position("x"));
  }

  @Test
  @DisplayName("a waiting student who departs leaves the queue")
  void waitingDeparture() {
    roster.ready("a");
    roster.ready("b");
    assertTrue(roster.depart("a").leftQueue());
    assertEquals(1, roster.position("b"));
    assertEquals(1, roster.waiting());
  }

  @Test
  @DisplayName("a student who departs while being claimed makes the confirm report it, and is not requeued on abort")
  void departureDuringClaim() {
    roster.ready("a");
    roster.ready("b");
    Roster.PendingClaim first = roster.startClaim("t", "n1", "chat-11");
    roster.depart("a");
    assertFalse(roster.confirm(first, "c1"), "the chat must be closed as left");
    Roster.PendingClaim second = roster.startClaim("t2", "n1", "chat-12");
    roster.depart("b");
    roster.abort(second);
    assertNull(roster.position("b"));
    assertEquals(0, roster.waiting());
  }

  @Test
  @DisplayName("the claims a dead node was opening are aborted and their students keep their places")
  void abortClaimsOfDeadNode() {
    roster.ready("a");
    roster.ready("b");
    roster.ready("c");
    roster.startClaim("t1", "dead", "chat-13");
    roster.startClaim("t2", "alive", "chat-14");
    assertEquals(1, roster.abortClaimsOf("dead").size());
    assertEquals(1, roster.position("a"));
    assertEquals(2, roster.position("c"));
    assertEquals(0, roster.abortClaimsOf("dead").size());
  }
}
