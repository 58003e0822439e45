package io.officehours.roster;

/** Addresses served by the roster: the waiting queue and teacher capacity. */
public final class RosterAddresses {
  /** Contract: a student joins the queue (idempotent); reply {@code {"position": n}}. */
  public static final String READY = "tutor.student.ready";
  /** Contract: a teacher takes the next student; reply {@code {"chat": Chat}} or {@code {"chat": null}}. */
  public static final String CLAIM = "tutor.teacher.claim";
  /** Contract: the caller's queue place and open chats. */
  public static final String ME = "tutor.me";

  /** Internal (gateway's {@code GET /api/chats?state=open}, admins): the chats in progress, cluster-wide. */
  public static final String OPEN_CHATS = "tutor.internal.roster.open";
  /** Internal (chat to roster): a chat ended; free the teacher's slot. Body: {@code {"chatId"}}. */
  public static final String RELEASE = "tutor.internal.roster.release";
  /** Internal (presence to roster): a user's last connection is gone (after the grace period). */
  public static final String USER_OFFLINE = "tutor.internal.roster.offline";
  /** Internal (roster to presence, every node): {@code {"userId", "status"}} when a user's status changes. */
  public static final String USER_STATUS = "tutor.internal.roster.status";

  private RosterAddresses() {}
}
