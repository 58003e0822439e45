package io.officehours.admin;

/**
 * Addresses of the operators' console (issue #7). The two client addresses live under
 * {@code tutor.admin.}, which the contract leaves to the implementation; both are refused to every
 * role but admin with 403.
 */
public final class AdminAddresses {

  /**
   * Push, admins only: {@link TapBatch} bodies, one per node every {@value Tap#WINDOW_MS} ms
   * while the node saw traffic, each with at most {@value Tap#LIMIT} {@link TapEntry entries} and
   * the number of frames sampled away.
   */
  public static final String TAP = "tutor.admin.tap";

  /**
   * Request, admins only: {@code {"address","body","headers","publish","timeoutMs"}} (see
   * {@link AdminSend}); the server sends or publishes the body on the event bus with the admin's
   * identity, never a forged one, and replies {@code {"reply","headers","ms"}} or
   * {@code {"published":true}}, or fails with an explained code.
   */
  public static final String SEND = "tutor.admin.send";

  /**
   * Internal, cluster-wide publish: {@code {"node"}}: some admin taps on that node. Every node
   * records bridge traffic while the newest lease is younger than {@value AdminVerticle#LEASE_TTL_MS} ms.
   */
  public static final String TAP_LEASE = "tutor.internal.admin.tap.lease";

  /** Internal, cluster-wide publish: a node's {@link TapBatch}, to every gateway instance of every node. */
  public static final String TAP_BATCH = "tutor.internal.admin.tap.batch";

  /** The {@code type} of an operator notice pushed to a user's inbox: {@code {"type":"notice","text","from"}}. */
  public static final String NOTICE = "notice";

  private AdminAddresses() {}
}
