package io.officehours.roster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The roster's ops, one record each (see {@link RosterOp}). Nulls travel as absent values. */
final class RosterOps {
  private RosterOps() {}

  /** A serializable "nothing" for ops that return no value. */
  enum Done { DONE }

  record Ready(String studentId) implements RosterOp<Integer> {
    @Override
    public Integer apply(Roster r) {
      return r.ready(studentId);
    }

    @Override
    public Collection<String> touched(Integer result) {
      return List.of(studentId);
    }
  }

  record Position(String studentId) implements RosterOp<Integer> {
    @Override
    public Integer apply(Roster r) {
      return r.position(studentId);
    }

    @Override
    public boolean readOnly() {
      return true;
    }
  }

  /** What {@code tutor.me} needs, in one op: the queue place (null if not waiting) and the chat ids. */
  record Me(String userId, boolean student) implements RosterOp<MeResult> {
    @Override
    public MeResult apply(Roster r) {
      return new MeResult(student ? r.position(userId) : null, new ArrayList<>(r.chatsOf(userId)), r.claimPending(userId));
    }

    @Override
    public boolean readOnly() {
      return true;
    }
  }

  /** {@code claimPending}: a claim is opening a chat with the user right now, so neither place nor chat is final. */
  record MeResult(Integer position, ArrayList<String> chatIds, boolean claimPending) implements java.io.Serializable {}

  record ChatsOf(String userId) implements RosterOp<ArrayList<String>> {
    @Override
    public ArrayList<String> apply(Roster r) {
      return new ArrayList<>(r.chatsOf(userId));
    }

    @Override
    public boolean readOnly() {
      return true;
    }
  }

  record OpenChats() implements RosterOp<ArrayList<String>> {
    @Override
    public ArrayList<String> apply(Roster r) {
      return new ArrayList<>(r.openChatIds());
    }

    @Override
    public boolean readOnly() {
      return true;
    }
  }

  record StartClaim(String teacherId, String nodeId, String chatId) implements RosterOp<Roster.PendingClaim> {
    @Override
    public Roster.PendingClaim apply(Roster r) {
      return r.startClaim(teacherId, nodeId, chatId);
    }

    @Override
    public Collection<String> touched(Roster.PendingClaim claim) {
      return claim == null ? List.of() : List.of(claim.studentId());
    }
  }

  /** Confirms a claim; true when both participants are still here. */
  record Confirm(Roster.PendingClaim claim, String chatId) implements RosterOp<Boolean> {
    @Override
    public Boolean apply(Roster r) {
      return r.confirm(claim, chatId);
    }

    @Override
    public Collection<String> touched(Boolean result) {
      return List.of(claim.teacherId(), claim.studentId());
    }
  }

  record Abort(Roster.PendingClaim claim) implements RosterOp<Done> {
    @Override
    public Done apply(Roster r) {
      r.abort(claim);
      return Done.DONE;
    }

    @Override
    public Collection<String> touched(Done result) {
      return List.of(claim.teacherId(), claim.studentId());
    }
  }

  record AbortClaimsOf(String nodeId) implements RosterOp<ArrayList<Roster.PendingClaim>> {
    @Override
    public ArrayList<Roster.PendingClaim> apply(Roster r) {
      return new ArrayList<>(r.abortClaimsOf(nodeId));
    }

    @Override
    public Collection<String> touched(ArrayList<Roster.PendingClaim> aborted) {
      List<String> users = new ArrayList<>();
      aborted.forEach(c -> {
        users.add(c.teacherId());
        users.add(c.studentId());
      });
      return users;
    }
  }

  /** Forgets an ended chat; returns the assignment, or null when it was released already. */
  record Release(String chatId) implements RosterOp<Roster.Assignment> {
    @Override
    public Roster.Assignment apply(Roster r) {
      return r.release(chatId);
    }

    @Override
    public Collection<String> touched(Roster.Assignment a) {
      return a == null ? List.of() : List.of(a.teacherId(), a.studentId());
    }
  }

  record Depart(String userId) implements RosterOp<Roster.Departure> {
    @Override
    public Roster.Departure apply(Roster r) {
      return r.depart(userId);
    }

    @Override
    public Collection<String> touched(Roster.Departure result) {
      return List.of(userId);
    }
  }

  record RequeueAtHead(ArrayList<String> studentIds) implements RosterOp<Done> {
    @Override
    public Done apply(Roster r) {
      r.requeueAtHead(studentIds);
      return Done.DONE;
    }

    @Override
    public Collection<String> touched(Done result) {
      return studentIds;
    }
  }
}
