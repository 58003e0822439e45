package io.officehours.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.officehours.Node;
import io.officehours.common.ClusterEvents;
import io.officehours.chat.ChatRouter;
import io.officehours.common.ClusterConsumer;
import io.officehours.config.Config;
import io.officehours.ops.NodeMetrics;
import io.officehours.presence.HazelcastPresenceDirectory;
import io.officehours.push.UserNodes;
import io.officehours.roster.HazelcastRosterStore;
import io.officehours.store.ChatStore;
import io.officehours.store.HazelcastChatStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x instance in a Hazelcast cluster, and the replicated backends the node's verticles use
 * there: the roster and the chats in Hazelcast maps with a backup each, presence in a map of
 * connections, and chat writes routed to the owner of the chat's partition.
 */
public final class ClusterNode {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  /** Member attribute carrying the node id, so every member can name the owner of a partition. */
  static final String NODE_ATTRIBUTE = "officehours.node";

  private static final long PING_MS = 2_000;
  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final String nodeId;
  private final MergeWatch merges;

  private ClusterNode(Vertx vertx, HazelcastClusterManager manager, String nodeId, MergeWatch merges) {
    this.vertx = vertx;
    this.manager = manager;
    this.nodeId = nodeId;
    this.merges = merges;
  }

  /** Starts clustered Vert.x; completes once this node has joined (or formed) the cluster. */
  public static Future<ClusterNode> start(Config config, VertxOptions options) {
    // new on every start: a restarted node is a new incarnation whose predecessor's presences and
    // claims are cleaned up as those of a departed node, never adopted
    String nodeId = UUID.randomUUID().toString();
    HazelcastCallbacks.ensurePool();
    com.hazelcast.config.Config hz = HazelcastSettings.of(config);
    hz.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
    HazelcastClusterManager manager = new HazelcastClusterManager(hz);
    options.getEventBusOptions().setHost(config.clusterHost()).setClusterPublicHost(config.clusterHost())
        .setPort(config.eventBusPort()).setClusterPublicPort(config.eventBusPort())
        // a connection to a node behind a cut link stalls rather than fails; without an answer to a
        // ping within 2 s it is closed, so that once the link heals the next message opens a fresh
        // one instead of queueing behind TCP's retransmission backoff (defaults: 20 s and 20 s)
        .setClusterPingInterval(PING_MS).setClusterPingReplyInterval(PING_MS);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .compose(vertx -> MergeWatch.start(vertx).map(merges -> new ClusterNode(vertx, manager, nodeId, merges)))
        .onSuccess(ClusterNode::watchMembers);
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /**
   * The id that names this node in chat routing, presence ownership and claim cleanup. It is a
   * member attribute rather than the member UUID because Hazelcast gives a member a new UUID when
   * it merges back after a split brain, while the node, its consumers and its connections are the
   * same; and it is not Vert.x's node id, which Hazelcast members cannot see.
   */
  public String nodeId() {
    return nodeId;
  }

  static String nodeIdOf(com.hazelcast.cluster.Member member) {
    String id = member.getAttribute(NODE_ATTRIBUTE);
    return id != null ? id : member.getUuid().toString();
  }

  public int memberCount() {
    return hazelcast().getCluster().getMembers().size();
  }

  /** Whether every partition's replicas are in place: the cluster survives losing one member now. */
  public boolean isSafe() {
    return hazelcast().getPartitionService().isClusterSafe();
  }

  /** Backends with the chats in the cluster's Hazelcast map. */
  public Node.Backends backends(Config config) {
    return backends(config, new HazelcastChatStore(hazelcast(), vertx));
  }

  /** Backends with the given chat store (Redis, when configured: see {@link Node#chatStore}). */
  public Node.Backends backends(Config config, ChatStore chats) {
    NodeMetrics metrics = NodeMetrics.forNode(config);
    HazelcastInstance hz = hazelcast();
    String self = nodeId();
    ChatRouter router = new PartitionRouter(hz, self);
    return new Node.Backends(self,
        context -> new HazelcastRosterStore(hz.getMap(HazelcastRosterStore.MAP), config.capacity(), context),
        chats,
        router,
        new HazelcastPresenceDirectory(hz, self, vertx),
        metrics,
        new HazelcastClusterView(hz, self, config, metrics, vertx, merges::merging),
        new UserNodes(self, () -> hz.getCluster().getMembers().stream().map(ClusterNode::nodeIdOf).toList()));
  }

  /** Tells this node's roster and presence when another node leaves, so they clean up after it. */
  private void watchMembers() {
    hazelcast().getLifecycleService().addLifecycleListener(event -> merges.on(event.getState()));
    hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("member joined: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String departed = nodeIdOf(event.getMember());
        LOG.info("member left: {} ({} members)", event.getMember().getAddress(), event.getMembers().size());
        vertx.runOnContext(v -> vertx.eventBus().publish(ClusterEvents.NODE_LEFT, new JsonObject().put("nodeId", departed)));
      }
    });
  }
}
