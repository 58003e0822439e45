package io.officehours.roster;

import io.officehours.common.Failure;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The waiting queue and who chats with whom, as plain state with no I/O (the verticle around it
 * turns messages into calls). Students wait in arrival order; a teacher holds at most
 * {@code capacity} chats, counting claims still being opened, so two claims from the same teacher
 * racing each other can never exceed it.
 *
 * <p>Arrival order is a ticket number: a student who is put back (a claim failed, or its teacher
 * left) gets a ticket below every waiting one, so it is next.
 */
public final class Roster implements Serializable {

  /** Who a chat joins. */
  public record Assignment(String chatId, String teacherId, String studentId) implements Serializable {}

  /**
   * A claim in progress: the student taken off the queue for a teacher, its old ticket, the node
   * that is opening the chat (its claims are aborted if it dies before confirming) and the id the
   * chat gets, drawn before the claim, so a chat that node created before dying can be found and
   * ended.
   */
  public record PendingClaim(String teacherId, String studentId, long ticket, String nodeId, String chatId) implements Serializable {}

  /** What a departure changes: whether the user left the queue, and the chats that must end. */
  public record Departure(boolean leftQueue, List<Assignment> chatsToClose) implements Serializable {}

  private final int capacity;
  private long nextTicket;
  private final TreeMap<Long, String> queue = new TreeMap<>();
  private final Map<String, Long> tickets = new HashMap<>();
  private final Map<String, Assignment> chats = new HashMap<>();
  private final Map<String, Set<String>> teacherChats = new HashMap<>();
  private final Map<String, String> studentChat = new HashMap<>();
  private final Map<String, Integer> pendingByTeacher = new HashMap<>();
  private final Map<String, PendingClaim> pendingStudents = new HashMap<>();
  private final Set<String> departedDuringClaim = new HashSet<>();
  /** The outcomes of the last changes by op id, oldest first: a retried op gets its first outcome back. */
  private final LinkedHashMap<String, Outcome<?>> recentOutcomes = new LinkedHashMap<>();
  private long version;

  /** More changes than the whole cluster can have in flight when the roster's owner dies. */
  static final int RECENT_OUTCOMES = 1024;

  public Roster(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Puts a student in the queue (once) and returns its position, 1 being next; null while a claim
   * is opening a chat with it (the caller asks again once the claim has settled).
   */
  public Integer ready(String studentId) {
    if (pendingStudents.containsKey(studentId)) return null;
    if (studentChat.containsKey(studentId)) throw Failure.of(Failure.CONFLICT, "you are in a chat already");
    tickets.computeIfAbsent(studentId, s -> {
      long ticket = nextTicket++;
      queue.put(ticket, s);
      return ticket;
    });
    return position(studentId);
  }

  /** Whether a claim is opening a chat with this user, as its student or its teacher. */
  public boolean claimPending(String userId) {
    return pendingStudents.containsKey(userId) || pendingByTeacher.containsKey(userId);
  }

  /** The student's place in the queue (1 = next), or null when it is not waiting. */
  public Integer position(String studentId) {
    Long ticket = tickets.get(studentId);
    return ticket == null ? null : queue.headMap(ticket).size() + 1;
  }

  /**
   * Takes the next student for a teacher, or returns null when nobody waits. Fails with 409 when
   * the teacher is at capacity. The claim holds a slot until {@link #confirm} or {@link #abort}.
   */
  public PendingClaim startClaim(String teacherId, String nodeId, String chatId) {
    int held = teacherChats.getOrDefault(teacherId, Set.of()).size() + pendingByTeacher.getOrDefault(teacherId, 0);
    if (held >= capacity) {
      throw Failure.of(Failure.CONFLICT, "you have " + capacity + " open chats already");
    }
    Map.Entry<Long, String> head = queue.pollFirstEntry();
    if (head == null) return null;
    tickets.remove(head.getValue());
    PendingClaim claim = new PendingClaim(teacherId, head.getValue(), head.getKey(), nodeId, chatId);
    pendingStudents.put(head.getValue(), claim);
    pendingByTeacher.merge(teacherId, 1, Integer::sum);
    return claim;
  }

  /**
   * Records the chat a claim opened. Returns false when the teacher or the student left while it
   * was being opened: the caller must then end the chat as "left".
   */
  public boolean confirm(PendingClaim claim, String chatId) {
    finishClaim(claim);
    Assignment a = new Assignment(chatId, claim.teacherId(), claim.studentId());
    chats.put(chatId, a);
    teacherChats.computeIfAbsent(claim.teacherId(), t -> new LinkedHashSet<>()).add(chatId);
    studentChat.put(claim.studentId(), chatId);
    boolean bothHere = !departedDuringClaim.contains(claim.teacherId()) && !departedDuringClaim.contains(claim.studentId());
    forgetDepartures(claim);
    return bothHere;
  }

  /** The chat could not be opened: the student goes back to its old place, unless it left meanwhile. */
  public void abort(PendingClaim claim) {
    finishClaim(claim);
    if (!departedDuringClaim.contains(claim.studentId())) {
      queue.put(claim.ticket(), claim.studentId());
      tickets.put(claim.studentId(), claim.ticket());
    }
    forgetDepartures(claim);
  }

  private void finishClaim(PendingClaim claim) {
    pendingStudents.remove(claim.studentId());
    pendingByTeacher.computeIfPresent(claim.teacherId(), (t, n) -> n > 1 ? n - 1 : null);
  }

  private void forgetDepartures(PendingClaim claim) {
    departedDuringClaim.remove(claim.studentId());
    if (!pendingByTeacher.containsKey(claim.teacherId())) departedDuringClaim.remove(claim.teacherId());
  }

  /** Forgets an ended chat and frees the teacher's slot; null when it was not known (already released). */
  public Assignment release(String chatId) {
    Assignment a = chats.remove(chatId);
    if (a == null) return null;
    Set<String> held = teacherChats.get(a.teacherId());
    if (held != null) {
      held.remove(chatId);
      if (held.isEmpty()) teacherChats.remove(a.teacherId());
    }
    studentChat.remove(a.studentId(), chatId);
    return a;
  }

  /** A user's last connection is gone: it leaves the queue, and its chats must end. */
  public Departure depart(String userId) {
    Long ticket = tickets.remove(userId);
    if (ticket != null) queue.remove(ticket);
    if (pendingStudents.containsKey(userId) || pendingByTeacher.containsKey(userId)) departedDuringClaim.add(userId);
    List<Assignment> toClose = new ArrayList<>();
    String asStudent = studentChat.get(userId);
    if (asStudent != null) toClose.add(chats.get(asStudent));
    for (String chatId : teacherChats.getOrDefault(userId, Set.of())) toClose.add(chats.get(chatId));
    return new Departure(ticket != null, toClose);
  }

  /** Puts students at the head of the queue, in the order given, ahead of everyone waiting. */
  public void requeueAtHead(List<String> studentIds) {
    long first = queue.isEmpty() ? nextTicket : queue.firstKey();
    long ticket = first - studentIds.size();
    for (String s : studentIds) {
      if (tickets.containsKey(s) || studentChat.containsKey(s) || pendingStudents.containsKey(s)) continue;
      queue.put(ticket, s);
      tickets.put(s, ticket++);
    }
  }

  /** Aborts the claims a dead node was opening: their students go back to their old places. */
  public List<PendingClaim> abortClaimsOf(String nodeId) {
    List<PendingClaim> orphaned = new ArrayList<>();
    for (PendingClaim claim : pendingStudents.values()) {
      if (claim.nodeId().equals(nodeId)) orphaned.add(claim);
    }
    orphaned.forEach(this::abort);
    return orphaned;
  }

  /** The outcome of the change with this id, when it ran already; null otherwise. */
  Outcome<?> outcomeOf(String opId) {
    return recentOutcomes.get(opId);
  }

  void remember(String opId, Outcome<?> outcome) {
    recentOutcomes.put(opId, outcome);
    if (recentOutcomes.size() > RECENT_OUTCOMES) recentOutcomes.remove(recentOutcomes.keySet().iterator().next());
  }

  /** Counts every change; replicas publish counts with it so a stale count never wins. */
  long bump() {
    return ++version;
  }

  long version() {
    return version;
  }

  public Collection<String> chatsOf(String userId) {
    List<String> ids = new ArrayList<>(teacherChats.getOrDefault(userId, Set.of()));
    String asStudent = studentChat.get(userId);
    if (asStudent != null) ids.add(asStudent);
    return ids;
  }

  /** Presence status: {@code waiting}, {@code chatting} or {@code idle}. */
  public String status(String userId) {
    if (tickets.containsKey(userId)) return "waiting";
    if (studentChat.containsKey(userId) || teacherChats.containsKey(userId)) return "chatting";
    return "idle";
  }

  /** Every chat in progress, in the deployment. */
  public List<String> openChatIds() {
    return new ArrayList<>(chats.keySet());
  }

  public int waiting() {
    return queue.size();
  }

  public int openChats() {
    return chats.size();
  }
}
