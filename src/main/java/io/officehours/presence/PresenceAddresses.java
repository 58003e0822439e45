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

  private PresenceAddresses() {}
}
