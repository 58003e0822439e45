package io.officehours;

import io.officehours.chat.ChatVerticle;
import io.officehours.config.Config;
import io.officehours.gateway.GatewayVerticle;
import io.officehours.presence.PresenceVerticle;
import io.officehours.roster.RosterVerticle;
import io.officehours.status.StatusVerticle;
import io.officehours.store.ChatStore;
import io.officehours.store.InMemoryChatStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Deploys the verticles of one node on a Vert.x instance, services first and the gateway last, so
 * no client frame can reach an address before its consumer is registered.
 */
public final class Node {
  /** Ended chats the in-memory store keeps readable. */
  private static final int RETAINED_ENDED_CHATS = 100_000;

  private Node() {}

  public static Future<Void> deploy(Vertx vertx, Config config) {
    ChatStore store = new InMemoryChatStore(RETAINED_ENDED_CHATS);
    return vertx.deployVerticle(new StatusVerticle())
        .compose(id -> vertx.deployVerticle(new PresenceVerticle(config)))
        .compose(id -> vertx.deployVerticle(new RosterVerticle(config)))
        .compose(id -> vertx.deployVerticle(new ChatVerticle(config, store)))
        .compose(id -> vertx.deployVerticle(() -> new GatewayVerticle(config),
            new DeploymentOptions().setInstances(config.gatewayInstances())))
        .mapEmpty();
  }
}
