package io.officehours.presence;

import com.hazelcast.config.IndexType;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.query.Predicates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's directory: the {@code officehours.presence} map, one entry per connection keyed by
 * its ref and tagged with the node that owns it. A node writes only its own connections; a map
 * listener on every node turns every change into {@link PresenceEvent}s for its replica.
 *
 * <p>Node loss: when a member leaves, the oldest survivor removes the departed node's entries and
 * the removals reach every replica as leaves. A restarted node has a new node id, so the entries
 * of its previous incarnation are removed as those of a departed node and never come back. After a
 * split brain heals, Hazelcast merges the sides' maps and the merged entries arrive as joins on the bigger side,
 * while the node that merged back reads the whole map again ({@link #onResync}).
 */
public final class HazelcastPresenceDirectory implements PresenceDirectory {

  static final String MAP = "officehours.presence";
  private static final long RESYNC_AGAIN_MS = 3_000;
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastPresenceDirectory.class);

  private final HazelcastInstance hazelcast;
  private final IMap<String, PresenceEntry> map;
  private final String nodeId;
  private final Vertx vertx;

  public HazelcastPresenceDirectory(HazelcastInstance hazelcast, String nodeId, Vertx vertx) {
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(MAP);
    this.nodeId = nodeId;
    this.vertx = vertx;
  }

  @Override
  public Future<Void> start(Handler<PresenceEvent> events) {
    Context context = vertx.getOrCreateContext();
    // events that arrive while the current entries load are held, then applied after them
    List<PresenceEvent> held = new ArrayList<>();
    boolean[] loaded = {false};
    Handler<PresenceEvent> onContext = e -> context.runOnContext(v -> {
      if (loaded[0]) events.handle(e);
      else held.add(e);
    });
    map.addEntryListener(new Listener(onContext), true);
    return vertx.executeBlocking(() -> {
          map.addIndex(IndexType.HASH, "userId");
          map.addIndex(IndexType.HASH, "ownerNode");
          return entries();
        })
        .map(entries -> {
          entries.forEach(events::handle);
          loaded[0] = true;
          held.forEach(events::handle);
          held.clear();
          return null;
        });
  }

  /** Blocking: the whole map, as joins. */
  private List<PresenceEvent.Joined> entries() {
    List<PresenceEvent.Joined> joins = new ArrayList<>();
    map.entrySet().forEach(e -> joins.add(new PresenceEvent.Joined(e.getValue().getUserId(), e.getKey(),
        e.getValue().getMeta(), e.getValue().getOwnerNode())));
    return joins;
  }

  @Override
  public void onResync(Handler<List<PresenceEvent.Joined>> resyncs) {
    Context context = vertx.getOrCreateContext();
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() != LifecycleEvent.LifecycleState.MERGED) return;
      resync(context, resyncs);
      // a change that raced with the first read is caught by the second
      vertx.setTimer(RESYNC_AGAIN_MS, t -> resync(context, resyncs));
    });
  }

  private void resync(Context context, Handler<List<PresenceEvent.Joined>> resyncs) {
    vertx.executeBlocking(this::entries, false)
        .onSuccess(entries -> context.runOnContext(v -> resyncs.handle(entries)))
        .onFailure(e -> LOG.warn("could not read the presence directory after a merge: {}", e.toString()));
  }

  @Override
  public Future<Void> track(String userId, String connectionRef, Meta meta) {
    // compose turns an exception thrown by a stopping Hazelcast into a failed future
    return Future.succeededFuture().compose(v ->
        Future.fromCompletionStage(map.setAsync(connectionRef, new PresenceEntry(userId, nodeId, meta)), vertx.getOrCreateContext()));
  }

  @Override
  public Future<Void> update(String userId, String connectionRef, Meta meta) {
    return track(userId, connectionRef, meta);
  }

  @Override
  public Future<Void> untrack(String userId, String connectionRef) {
    return Future.succeededFuture().compose(v ->
        Future.fromCompletionStage(map.removeAsync(connectionRef), vertx.getOrCreateContext()).mapEmpty());
  }

  @Override
  public Future<Boolean> online(String userId) {
    return vertx.executeBlocking(() -> !map.keySet(Predicates.equal("userId", userId)).isEmpty(), false);
  }

  @Override
  public Future<Set<String>> offline(Set<String> userIds) {
    if (userIds.isEmpty()) return Future.succeededFuture(Set.of());
    return vertx.executeBlocking(() -> {
      Set<String> gone = new HashSet<>(userIds);
      for (PresenceEntry still : map.values(Predicates.in("userId", userIds.toArray(new String[0])))) {
        gone.remove(still.getUserId());
      }
      return gone;
    }, false);
  }

  @Override
  public Future<Set<String>> dropNode(String departed) {
    return vertx.executeBlocking(() -> {
      Collection<PresenceEntry> gone = map.values(Predicates.equal("ownerNode", departed));
      map.removeAll(Predicates.equal("ownerNode", departed));
      Set<String> users = new HashSet<>();
      gone.forEach(e -> users.add(e.getUserId()));
      return users;
    }, false);
  }

  @Override
  public boolean cleansUp() {
    return hazelcast.getCluster().getMembers().iterator().next().localMember();
  }

  private record Listener(Handler<PresenceEvent> events) implements
      EntryAddedListener<String, PresenceEntry>, EntryUpdatedListener<String, PresenceEntry>,
      EntryRemovedListener<String, PresenceEntry>, EntryMergedListener<String, PresenceEntry>,
      MapClearedListener {

    @Override
    public void entryAdded(EntryEvent<String, PresenceEntry> e) {
      events.handle(new PresenceEvent.Joined(e.getValue().getUserId(), e.getKey(), e.getValue().getMeta(),
          e.getValue().getOwnerNode()));
    }

    @Override
    public void entryMerged(EntryEvent<String, PresenceEntry> e) {
      entryAdded(e);
    }

    @Override
    public void entryUpdated(EntryEvent<String, PresenceEntry> e) {
      events.handle(new PresenceEvent.Updated(e.getValue().getUserId(), e.getKey(), e.getValue().getMeta()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, PresenceEntry> e) {
      events.handle(new PresenceEvent.Left(e.getOldValue().getUserId(), e.getKey()));
    }

    @Override
    public void mapCleared(MapEvent event) {
      // never cleared by Office Hours
    }
  }
}
