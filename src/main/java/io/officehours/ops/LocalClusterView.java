package io.officehours.ops;

import io.officehours.config.Config;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A single node is its own cluster. */
public final class LocalClusterView implements ClusterView {

  private final Config config;
  private final NodeMetrics metrics;

  public LocalClusterView(Config config, NodeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public Future<JsonArray> members() {
    return Future.succeededFuture(new JsonArray().add(new JsonObject()
        .put("nodeId", config.nodeId()).put("http", config.host() + ":" + config.port())
        .put("name", config.nodeId()).put("connections", metrics.connections()).put("self", true)
        .mergeIn(metrics.traffic(System.currentTimeMillis()))));
  }
}
