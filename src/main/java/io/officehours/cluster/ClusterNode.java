package io.officehours.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import io.officehours.Node;
import io.officehours.chat.ChatRouter;
import io.officehours.config.Config;
import io.officehours.ops.NodeMetrics;
import io.officehours.presence.HazelcastPresenceDirectory;
import io.officehours.roster.HazelcastRosterStore;
import io.officehours.roster.RosterAddresses;
import io.officehours.store.HazelcastChatStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x instance in a Hazelcast cluster, and the replicated backends the node's verticles use
 * there: the roster and the chats in Hazelcast maps with a backup each, presence in a map of
 * connections, and chat writes routed to the owner of the chat's partition.
 */
public final class ClusterNode {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** Starts clustered Vert.x; completes once this node has joined (or formed) the cluster. */
  public static Future<ClusterNode> start(Config config, VertxOptions options) {
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.of(config));
    options.getEventBusOptions().setHost(config.clusterHost()).setClusterPublicHost(config.clusterHost());
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .map(vertx -> new ClusterNode(vertx, manager))
        .onSuccess(ClusterNode::watchMembers);
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /**
   * This member's Hazelcast UUID: the id that names this node in chat routing, presence ownership
   * and claim cleanup, because partition owners and departed members are known by it (Vert.x 5's
   * own node id is a different UUID).
   */
  public String nodeId() {
    return hazelcast().getCluster().getLocalMember().getUuid().toString();
  }

  public int memberCount() {
    return hazelcast().getCluster().getMembers().size();
  }

  /** Whether every partition's replicas are in place: the cluster survives losing one member now. */
  public boolean isSafe() {
    return hazelcast().getPartitionService().isClusterSafe();
  }

  public Node.Backends backends(Config config) {
    NodeMetrics metrics = NodeMetrics.forNode(config);
    HazelcastInstance hz = hazelcast();
    String self = nodeId();
    ChatRouter router = chatId -> {
      Partition partition = hz.getPartitionService().getPartition(chatId);
      var owner = partition.getOwner();
      return owner == null ? null : owner.getUuid().toString();
    };
    return new Node.Backends(self,
        context -> new HazelcastRosterStore(hz.getMap(HazelcastRosterStore.MAP), config.capacity(), context),
        new HazelcastChatStore(hz, vertx),
        router,
        new HazelcastPresenceDirectory(hz, self, vertx),
        metrics,
        new HazelcastClusterView(hz, self, config, metrics, vertx));
  }

  /** Tells this node's roster and presence when another node leaves, so they clean up after it. */
  private void watchMembers() {
    hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String departed = event.getMember().getUuid().toString();
        LOG.info("member left: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
        vertx.runOnContext(v -> vertx.eventBus().publish(RosterAddresses.NODE_LEFT, new JsonObject().put("nodeId", departed)));
      }
    });
  }
}
