package io.officehours.status;

/** Addresses of the status feed. */
public final class StatusAddresses {
  /** Contract push: {@code {"type":"status","waiting","teachers","students","chats"}}; teachers and admins. */
  public static final String TOPIC = "tutor.status";
  /** Internal (roster to status, every node): {@code {"waiting": n, "chats": n, "version": v}}. */
  public static final String ROSTER_COUNTS = "tutor.internal.status.roster";
  /** Internal (presence to status): {@code {"teachers": n, "students": n}}. */
  public static final String PRESENCE_COUNTS = "tutor.internal.status.presence";
  /** Internal request: the current status body, sent once to a socket that registers the topic. */
  public static final String CURRENT = "tutor.internal.status.current";

  private StatusAddresses() {}
}
