package io.officehours.presence;

import java.io.Serializable;

/** One connection in the cluster's presence map, keyed by its connection ref. */
public final class PresenceEntry implements Serializable {
  private final String userId;
  private final String ownerNode;
  private final Meta meta;

  public PresenceEntry(String userId, String ownerNode, Meta meta) {
    this.userId = userId;
    this.ownerNode = ownerNode;
    this.meta = meta;
  }

  /** Indexed: who is online is asked by user. */
  public String getUserId() {
    return userId;
  }

  /** Indexed: the entries of a departed node are removed by owner. */
  public String getOwnerNode() {
    return ownerNode;
  }

  public Meta getMeta() {
    return meta;
  }
}
