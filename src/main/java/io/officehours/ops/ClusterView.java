package io.officehours.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/** What operators ask of the deployment: is this node ready, and which nodes are there. */
public interface ClusterView {

  /** Started, and in a cluster: joined, and every partition has its backup (losing one node is safe). */
  boolean ready();

  /**
   * The nodes: {@code [{"nodeId","name","http","connections","framesIn","framesOut","inPerSec","outPerSec","self"}]};
   * {@code name} is the node's {@code --node-id}, the traffic as {@link NodeMetrics#traffic} gives it.
   */
  Future<JsonArray> members();
}
