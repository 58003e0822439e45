package io.officehours.presence;

/** Addresses of the presence capability. */
public final class PresenceAddresses {
  /** Contract push: {@code presence.state} once after register, then {@code presence.diff}; teachers and admins. */
  public static final String TOPIC = "tutor.presence";
  /** Internal (gateway to presence): a connection opened. {@code {"userId","role","ref"}}. */
  public static final String CONNECTED = "tutor.internal.presence.connected";
  /** Internal (gateway to presence): a connection closed. {@code {"userId","ref"}}. */
  public static final String DISCONNECTED = "tutor.internal.presence.disconnected";
  /**
   * Internal request: the full {@code presence.state} body. Pending diffs are published before
   * the reply, so a socket subscribed on the reply misses no change and sees none twice.
   */
  public static final String SNAPSHOT = "tutor.internal.presence.snapshot";

  /**
   * Internal request (gateway to its node's presence): {@code {"userId","ref"}}, a socket registered
   * its user's inbox. Answered once every node knows the connection is here (or did not answer in
   * time), so a push made after the answer finds it; the gateway handles the socket's next frames
   * only then.
   */
  public static final String ANNOUNCE = "tutor.internal.presence.announce";

  /** Internal, one per node: {@code {"userId","ref","node"}}, a connection on another node, answered once recorded. */
  public static String here(String nodeId) {
    return "tutor.internal.presence.here." + nodeId;
  }

  private PresenceAddresses() {}
}
