package io.officehours.presence;

import io.officehours.push.UserNodes;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is online: users, each with one {@link Meta} per connection, keyed by the connection's ref.
 * Pure state with no I/O: every change returns the {@link PresenceDiff} it caused, and the
 * verticle around it decides when to push. A user with two tabs is one user with two metas, and
 * stays online until its last meta leaves.
 */
public final class PresenceState {

  private final Map<String, LinkedHashMap<String, Meta>> users = new HashMap<>();
  /** Connection ref to [user, owner node]: which node holds each connection. */
  private final Map<String, String[]> owners = new HashMap<>();
  private final Map<String, Integer> usersByRole = new HashMap<>();
  private long version;
  private int metaCount;
  /** Where each user's connections are, for pushes; null when nobody needs it (one node). */
  private final UserNodes nodes;

  public PresenceState() {
    this(null);
  }

  public PresenceState(UserNodes nodes) {
    this.nodes = nodes;
  }

  /** Tracks a connection of this node (owner unknown to the caller). */
  public PresenceDiff join(String userId, String connectionRef, Meta meta) {
    return join(userId, connectionRef, meta, "local");
  }

  /** Tracks a connection held by {@code owner}; a connection tracked already is refused (an empty diff). */
  public PresenceDiff join(String userId, String connectionRef, Meta meta, String owner) {
    PresenceDiff diff = new PresenceDiff();
    LinkedHashMap<String, Meta> metas = users.computeIfAbsent(userId, u -> new LinkedHashMap<>());
    if (metas.containsKey(connectionRef)) return diff;
    if (metas.isEmpty()) usersByRole.merge(meta.role(), 1, Integer::sum);
    metas.put(connectionRef, meta);
    owners.put(connectionRef, new String[] {userId, owner});
    if (nodes != null) nodes.joined(userId, connectionRef, owner);
    metaCount++;
    diff.join(userId, meta);
    return diff;
  }

  /** Untracks a connection; an unknown one changes nothing (an empty diff). */
  public PresenceDiff leave(String userId, String connectionRef) {
    PresenceDiff diff = new PresenceDiff();
    LinkedHashMap<String, Meta> metas = users.get(userId);
    if (metas == null) return diff;
    Meta gone = metas.remove(connectionRef);
    if (gone == null) return diff;
    owners.remove(connectionRef);
    if (nodes != null) nodes.left(userId, connectionRef);
    metaCount--;
    if (metas.isEmpty()) {
      users.remove(userId);
      usersByRole.computeIfPresent(gone.role(), (r, n) -> n > 1 ? n - 1 : null);
    }
    diff.leave(userId, gone);
    return diff;
  }

  /**
   * A node is gone: every connection it held leaves at once. The directory's own removals, which
   * follow, find nothing left to remove. A later incarnation of that node has another owner id,
   * so nothing of the old one can come back through it.
   */
  public PresenceDiff dropOwner(String owner) {
    PresenceDiff diff = new PresenceDiff();
    for (Map.Entry<String, String[]> e : new java.util.ArrayList<>(owners.entrySet())) {
      if (e.getValue()[1].equals(owner)) diff.addAll(leave(e.getValue()[0], e.getKey()));
    }
    return diff;
  }

  /**
   * Makes this replica hold exactly {@code entries}, the directory's whole content, and returns the
   * difference as one diff. After a split brain heals, the merged directory holds the connections of
   * the other side, which this replica dropped when that side left, and no longer holds those closed
   * meanwhile; a ref tracked on both sides is kept once.
   */
  public PresenceDiff resync(java.util.Collection<PresenceEvent.Joined> entries) {
    PresenceDiff diff = new PresenceDiff();
    java.util.Set<String> refs = new java.util.HashSet<>();
    entries.forEach(e -> refs.add(e.connectionRef()));
    for (Map.Entry<String, String[]> e : new java.util.ArrayList<>(owners.entrySet())) {
      if (!refs.contains(e.getKey())) diff.addAll(leave(e.getValue()[0], e.getKey()));
    }
    for (PresenceEvent.Joined e : entries) {
      Meta current = meta(e.userId(), e.connectionRef());
      if (current == null) diff.addAll(join(e.userId(), e.connectionRef(), e.meta(), e.owner()));
      else if (!current.equals(e.meta())) diff.addAll(replace(e.userId(), e.connectionRef(), e.meta()));
    }
    return diff;
  }

  /** Replaces the meta of a tracked connection (a status change made by the node that owns it). */
  public PresenceDiff replace(String userId, String connectionRef, Meta meta) {
    PresenceDiff diff = new PresenceDiff();
    LinkedHashMap<String, Meta> metas = users.get(userId);
    Meta old = metas == null ? null : metas.get(connectionRef);
    if (old == null || old.equals(meta)) return diff;
    metas.put(connectionRef, meta);
    diff.leave(userId, old);
    diff.join(userId, meta);
    return diff;
  }

  /** The meta of a tracked connection, or null. */
  public Meta meta(String userId, String connectionRef) {
    LinkedHashMap<String, Meta> metas = users.get(userId);
    return metas == null ? null : metas.get(connectionRef);
  }

  /** Sets the status of every meta of a user: each changed meta leaves and joins again with a new ref. */
  public PresenceDiff update(String userId, String status) {
    PresenceDiff diff = new PresenceDiff();
    LinkedHashMap<String, Meta> metas = users.get(userId);
    if (metas == null) return diff;
    for (Map.Entry<String, Meta> e : metas.entrySet()) {
      Meta old = e.getValue();
      if (old.status().equals(status)) continue;
      Meta updated = old.withStatus(status, e.getKey() + "." + (++version));
      e.setValue(updated);
      diff.leave(userId, old);
      diff.join(userId, updated);
    }
    return diff;
  }

  public boolean isOnline(String userId) {
    return users.containsKey(userId);
  }

  /** Online users with this role (a user with several connections counts once). */
  public int count(String role) {
    return usersByRole.getOrDefault(role, 0);
  }

  public int metaCount() {
    return metaCount;
  }

  public int userCount() {
    return users.size();
  }

  /** The contract's {@code presences} object: {@code {userId: {"metas": [...]}}}. */
  public JsonObject list() {
    Map<String, Iterable<Meta>> view = new LinkedHashMap<>();
    users.forEach((u, metas) -> view.put(u, metas.values()));
    return PresenceDiff.byUser(view);
  }
}
