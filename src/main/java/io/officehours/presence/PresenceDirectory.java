package io.officehours.presence;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.Set;

/**
 * Where the connections of the deployment are recorded. Each node writes only the connections it
 * holds; every node hears every change as {@link PresenceEvent}s and keeps a full replica, so it
 * answers lists and counts locally.
 */
public interface PresenceDirectory {

  /** Starts delivering events (on the caller's context), including the connections present now. */
  Future<Void> start(Handler<PresenceEvent> events);

  Future<Void> track(String userId, String connectionRef, Meta meta);

  Future<Void> update(String userId, String connectionRef, Meta meta);

  Future<Void> untrack(String userId, String connectionRef);

  /** Whether the user has a connection on any node: asked of the authority, not the replica. */
  Future<Boolean> online(String userId);

  /** Those of the users who have no connection on any node, in one query. */
  Future<Set<String>> offline(Set<String> userIds);

  /** Removes the connections of a node that left, and returns their users. */
  Future<Set<String>> dropNode(String nodeId);

  /**
   * Hands the directory's whole content to {@code resyncs} (on the caller's context) whenever the
   * replica may have missed changes: after this node merged back from a split brain. A directory
   * that cannot split never calls it.
   */
  default void onResync(Handler<java.util.List<PresenceEvent.Joined>> resyncs) {}

  /** Whether this node is the one that cleans up after departed nodes (one does it for all). */
  boolean cleansUp();
}
