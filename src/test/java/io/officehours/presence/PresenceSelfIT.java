package io.officehours.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.cluster.TestCluster;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Read-your-writes: the first presence.state a teacher gets lists its own connection, on one node and in a cluster. */
@DisplayName("a teacher that registers tutor.presence at once sees itself in the first presence.state")
@Timeout(120)
class PresenceSelfIT {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void onOneNode() {
    TestNode node = TestNode.start();
    try {
      for (int i = 0; i < 20; i++) seesItself(node.connect("one-t" + i, "teacher"), "one-t" + i);
    } finally {
      node.close();
    }
  }

  @Test
  void inACluster() {
    for (int i = 0; i < 20; i++) seesItself(cluster.connect(i % 2, "self-t" + i, "teacher"), "self-t" + i);
  }

  private static void seesItself(BridgeClient teacher, String user) {
    Pushes pushes = new Pushes();
    teacher.register("tutor.presence", pushes::add);
    JsonObject presences = pushes.await("presence.state").getJsonObject("presences");
    assertTrue(presences.containsKey(user), user + " is listed: " + presences.encode());
    JsonArray metas = presences.getJsonObject(user).getJsonArray("metas");
    assertEquals(1, metas.size(), metas.encode());
    teacher.close();
  }
}
