package io.officehours.push;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which nodes hold a connection of each user: where a push to the user must go. Written by presence
 * on its own context only (its replica's joins and leaves, and the announcements of connections
 * that presence has not seen yet); read from any thread.
 *
 * <p>A connection is known here by its ref, once from its announcement (the node that holds it
 * tells every node before the socket's next frame is handled, see {@code PresenceVerticle}) and
 * once from the presence replica. An announcement that presence never confirms (the connection
 * closed before its entry arrived) is dropped after {@value #UNCONFIRMED_MS} ms: until then it
 * costs at most a push to a node with no socket for it, which that node drops.
 */
public final class UserNodes {

  public static final long UNCONFIRMED_MS = 60_000;

  private record Connection(String node, boolean confirmed, long since) {}

  private final String self;
  private final Supplier<Collection<String>> members;
  /** Writer's side: user -> ref -> its connection. */
  private final Map<String, Map<String, Connection>> connections = new HashMap<>();
  /** Readers' side: user -> the distinct nodes of its connections, replaced whole on each change. */
  private final Map<String, String[]> nodes = new ConcurrentHashMap<>();

  /**
   * {@code self}: this node's id in the cluster (as presence records owners); {@code members}: every
   * node of the cluster, this one included, for users not known here.
   */
  public UserNodes(String self, Supplier<Collection<String>> members) {
    this.self = self;
    this.members = members;
  }

  public String self() {
    return self;
  }

  /** Every node of the cluster, this one included. */
  public Collection<String> members() {
    return members.get();
  }

  /** The nodes to push to for this user: those holding its connections, or every node when none is known. */
  public String[] of(String userId) {
    String[] known = nodes.get(userId);
    return known != null ? known : members.get().toArray(new String[0]);
  }

  /** Presence saw the connection (a join in its replica). */
  public void joined(String userId, String ref, String node) {
    connections.computeIfAbsent(userId, u -> new HashMap<>(2)).put(ref, new Connection(node, true, 0));
    publish(userId);
  }

  /** A node announced a connection presence may not have seen yet. */
  public void announced(String userId, String ref, String node, long now) {
    Map<String, Connection> refs = connections.computeIfAbsent(userId, u -> new HashMap<>(2));
    if (refs.containsKey(ref)) return;
    refs.put(ref, new Connection(node, false, now));
    publish(userId);
  }

  /** Presence saw the connection close. */
  public void left(String userId, String ref) {
    Map<String, Connection> refs = connections.get(userId);
    if (refs == null || refs.remove(ref) == null) return;
    if (refs.isEmpty()) connections.remove(userId);
    publish(userId);
  }

  /** A node left the cluster: none of its connections is reachable any more. */
  public void nodeLeft(String node) {
    removeIf(c -> c.node().equals(node));
  }

  /** Drops the announcements that presence has not confirmed for {@value #UNCONFIRMED_MS} ms. */
  public void sweep(long now) {
    removeIf(c -> !c.confirmed() && now - c.since() > UNCONFIRMED_MS);
  }

  private void removeIf(java.util.function.Predicate<Connection> gone) {
    List<String> changed = new ArrayList<>();
    for (Iterator<Map.Entry<String, Map<String, Connection>>> users = connections.entrySet().iterator(); users.hasNext(); ) {
      Map.Entry<String, Map<String, Connection>> user = users.next();
      if (!user.getValue().values().removeIf(gone)) continue;
      changed.add(user.getKey());
      if (user.getValue().isEmpty()) users.remove();
    }
    changed.forEach(this::publish);
  }

  private void publish(String userId) {
    Map<String, Connection> refs = connections.get(userId);
    if (refs == null) {
      nodes.remove(userId);
      return;
    }
    Set<String> distinct = new LinkedHashSet<>(2);
    refs.values().forEach(c -> distinct.add(c.node()));
    nodes.put(userId, distinct.toArray(new String[0]));
  }
}
