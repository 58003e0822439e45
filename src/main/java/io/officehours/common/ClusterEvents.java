package io.officehours.common;

/**
 * What the cluster node tells the capabilities about membership, on local addresses: the roster
 * aborts a departed node's claims, presence drops its connections, and chat fails over the writes
 * it had forwarded there. On a single node nothing is ever published here.
 */
public final class ClusterEvents {

  /** Local: {@code {"nodeId"}} of a node that left the cluster (killed, cut off, or shut down). */
  public static final String NODE_LEFT = "tutor.internal.cluster.left";

  private ClusterEvents() {}
}
