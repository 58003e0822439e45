package io.officehours;

import io.officehours.admin.AdminVerticle;
import io.officehours.admin.Tap;
import io.officehours.chat.ChatLines;
import io.officehours.chat.ChatRouter;
import io.officehours.chat.ChatVerticle;
import io.officehours.config.Config;
import io.officehours.gateway.GatewayVerticle;
import io.officehours.ops.ClusterView;
import io.officehours.ops.LocalClusterView;
import io.officehours.ops.NodeMetrics;
import io.officehours.presence.LocalPresenceDirectory;
import io.officehours.presence.PresenceDirectory;
import io.officehours.presence.PresenceVerticle;
import io.officehours.push.Inboxes;
import io.officehours.push.Pushes;
import io.officehours.push.UserNodes;
import io.officehours.roster.LocalRosterStore;
import io.officehours.roster.RosterStore;
import io.officehours.roster.RosterVerticle;
import io.officehours.status.StatusVerticle;
import io.officehours.store.ChatStore;
import io.officehours.store.InMemoryChatStore;
import io.officehours.store.LockedAppend;
import io.officehours.store.RedisChatStore;
import io.officehours.store.RedisStoreOptions;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Deploys the verticles of one node on a Vert.x instance, services first and the gateway last, so
 * no client frame can reach an address before its consumer is registered.
 */
public final class Node {
  /** Ended chats the in-memory store keeps readable. */
  private static final int RETAINED_ENDED_CHATS = 100_000;

  private Node() {}

  /** The deployment ids of a node's verticles, for an orderly (or, in tests, a selective) undeploy. */
  public record Deployment(String status, String presence, String roster, String chat, String admin, String gateway) {}

  /**
   * Where a node keeps its shared state: in its own heap (one node), or in the cluster's
   * replicated Hazelcast maps.
   */
  public record Backends(String nodeId, Function<Context, RosterStore> rosters, ChatStore chats, ChatRouter router,
      PresenceDirectory presence, NodeMetrics metrics, ClusterView view, UserNodes userNodes) {

    public static Backends local(Config config, ChatStore chats) {
      NodeMetrics metrics = NodeMetrics.forNode(config);
      return new Backends(config.nodeId(), ctx -> new LocalRosterStore(config.capacity()),
          chats, ChatRouter.LOCAL, new LocalPresenceDirectory(),
          metrics, new LocalClusterView(config, metrics), null);
    }
  }

  public static Future<Deployment> deploy(Vertx vertx, Config config) {
    return chatStore(vertx, config, () -> new InMemoryChatStore(RETAINED_ENDED_CHATS))
        .compose(chats -> deploy(vertx, config, Backends.local(config, chats)));
  }

  /**
   * The chat store the config names: Redis when {@code --redis} is set, connected and ready before
   * anything is deployed (a node that cannot reach it does not start), else {@code otherwise}.
   */
  public static Future<ChatStore> chatStore(Vertx vertx, Config config, Supplier<ChatStore> otherwise) {
    if (config.redis() == null) return Future.succeededFuture(otherwise.get());
    RedisStoreOptions options = RedisStoreOptions.of(config.redis())
        .withTimeout(config.redisTimeout())
        .withPoolSize(config.redisPool())
        .withEndedTtl(config.chatRetention());
    return RedisChatStore.create(vertx, options).map(store -> store);
  }

  public static Future<Deployment> deploy(Vertx vertx, Config config, Backends backends) {
    ChatStore store = backends.chats();
    // the straight path of a chat line: one node whose store appends on the caller's thread
    boolean straight = config.straightPath() && backends.router() == ChatRouter.LOCAL && store instanceof LockedAppend;
    Inboxes inboxes = straight ? new Inboxes() : null;
    ChatLines lines = straight ? new ChatLines(config, (LockedAppend) store, inboxes) : null;
    // in a cluster, a push goes only to the nodes that hold a recipient
    Pushes pushes = backends.userNodes() == null ? Pushes.overBus(vertx.eventBus())
        : Pushes.toNodes(vertx.eventBus(), backends.userNodes(), backends.nodeId());
    // the node's traffic tap: the gateway instances record into it, the admin verticle drains it
    Tap tap = new Tap(config.nodeId());
    return vertx.deployVerticle(new StatusVerticle())
        .compose(status -> vertx.deployVerticle(new PresenceVerticle(config, backends.presence(), backends.metrics(), backends.userNodes()))
            .compose(presence -> vertx.deployVerticle(new RosterVerticle(config, backends.rosters(), backends.nodeId(), backends.router()::newChatId))
                .compose(roster -> vertx.deployVerticle(new ChatVerticle(config, store, backends.router(), backends.nodeId(), pushes, lines))
                    .compose(chat -> vertx.deployVerticle(new AdminVerticle(config, tap))
                        .compose(admin -> vertx.deployVerticle(() -> new GatewayVerticle(config, backends.nodeId(), backends.metrics(), backends.view(), tap, inboxes, lines),
                                new DeploymentOptions().setInstances(config.gatewayInstances()))
                            .map(gateway -> new Deployment(status, presence, roster, chat, admin, gateway)))))));
  }
}
