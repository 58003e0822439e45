package io.officehours.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.officehours.config.Config;
import io.officehours.ops.ClusterView;
import io.officehours.ops.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The cluster as operators see it: every node writes its HTTP address, connection count and traffic to the
 * {@code officehours.members} map every {@value #REPORT_MS} ms with a short time to live, so a node
 * that dies drops out of the list by itself.
 */
final class HazelcastClusterView implements ClusterView {

  private static final long REPORT_MS = 2000;
  private static final long TTL_MS = 10_000;

  private final HazelcastInstance hazelcast;
  private final IMap<String, String> members;
  private final String nodeId;
  private final String http;
  private final String name;
  private final NodeMetrics metrics;
  private final Vertx vertx;
  private final BooleanSupplier merging;

  HazelcastClusterView(HazelcastInstance hazelcast, String nodeId, Config config, NodeMetrics metrics, Vertx vertx,
      BooleanSupplier merging) {
    this.merging = merging;
    this.hazelcast = hazelcast;
    this.members = hazelcast.getMap("officehours.members");
    this.nodeId = nodeId;
    this.http = ("0.0.0.0".equals(config.host()) ? config.clusterHost() : config.host()) + ":" + config.port();
    this.name = config.nodeId();
    this.metrics = metrics;
    this.vertx = vertx;
    report();
    vertx.setPeriodic(REPORT_MS, t -> report());
  }

  private void report() {
    if (!hazelcast.getLifecycleService().isRunning()) return;
    JsonObject self = new JsonObject().put("nodeId", nodeId).put("name", name).put("http", http)
        .put("connections", metrics.connections()).mergeIn(metrics.traffic(System.currentTimeMillis()));
    try {
      members.setAsync(nodeId, self.encode(), TTL_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException shuttingDown) {
      // the member is leaving; its entry expires by itself
    }
  }

  @Override
  public boolean ready() {
    return hazelcast.getLifecycleService().isRunning() && !merging.getAsBoolean()
        && hazelcast.getPartitionService().isClusterSafe();
  }

  @Override
  public Future<JsonArray> members() {
    return vertx.executeBlocking(() -> {
      JsonArray out = new JsonArray();
      hazelcast.getCluster().getMembers().forEach(member -> {
        String id = ClusterNode.nodeIdOf(member);
        String info = members.get(id);
        JsonObject json = info != null ? new JsonObject(info) : new JsonObject().put("nodeId", id);
        out.add(json.put("address", member.getAddress().toString()).put("self", member.localMember()));
      });
      return out;
    }, false);
  }
}
