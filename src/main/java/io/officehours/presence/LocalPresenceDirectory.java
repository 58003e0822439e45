package io.officehours.presence;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One node: the directory is this node's own connections, and events are delivered at once. */
public final class LocalPresenceDirectory implements PresenceDirectory {

  static final String LOCAL_OWNER = "local";
  private final Map<String, Integer> connectionsByUser = new HashMap<>();
  private Handler<PresenceEvent> events = e -> { };

  @Override
  public Future<Void> start(Handler<PresenceEvent> handler) {
    this.events = handler;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> track(String userId, String connectionRef, Meta meta) {
    connectionsByUser.merge(userId, 1, Integer::sum);
    events.handle(new PresenceEvent.Joined(userId, connectionRef, meta, LOCAL_OWNER));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> update(String userId, String connectionRef, Meta meta) {
    events.handle(new PresenceEvent.Updated(userId, connectionRef, meta));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> untrack(String userId, String connectionRef) {
    connectionsByUser.computeIfPresent(userId, (u, n) -> n > 1 ? n - 1 : null);
    events.handle(new PresenceEvent.Left(userId, connectionRef));
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> online(String userId) {
    return Future.succeededFuture(connectionsByUser.containsKey(userId));
  }

  @Override
  public Future<Set<String>> offline(Set<String> userIds) {
    Set<String> gone = new java.util.HashSet<>(userIds);
    gone.removeIf(connectionsByUser::containsKey);
    return Future.succeededFuture(gone);
  }

  @Override
  public Future<Set<String>> dropNode(String nodeId) {
    return Future.succeededFuture(Set.of());
  }

  @Override
  public boolean cleansUp() {
    return false;
  }
}
