package io.officehours.push;

/** Addresses of the push capability: the contract's per-user inbox and the internal delivery address. */
public final class InboxAddresses {
  /** Contract prefix of a user's inbox: {@code tutor.user.<userId>}. */
  public static final String INBOX_PREFIX = "tutor.user.";

  /**
   * Internal: {@code {"users": [ids], "body": {...}}} published here reaches every socket on this
   * node that registered the inbox of one of those users. Each gateway instance consumes it and
   * writes to its own sockets, so no per-socket event-bus consumer exists.
   */
  public static final String DELIVER = "tutor.internal.deliver";

  /** Internal, one per node: a {@link #DELIVER} body for the sockets of that node only (see {@link Pushes#toNodes}). */
  public static String node(String nodeId) {
    return DELIVER + "." + nodeId;
  }

  public static String inbox(String userId) {
    return INBOX_PREFIX + userId;
  }

  private InboxAddresses() {}
}
