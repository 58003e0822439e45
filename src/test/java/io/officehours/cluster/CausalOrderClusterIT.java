package io.officehours.cluster;

import io.officehours.chat.CausalOrder;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CausalOrder} over two clustered nodes: users alternate between the nodes, so most chats
 * have their participants on different nodes and their owner (the chat's partition) on either.
 * A line's answer comes back from the owner as a reply while its pushes are published, so the
 * two travel different ways.
 */
@DisplayName("Causal order over two nodes: the answer to a line comes before every push the line caused, on every node")
class CausalOrderClusterIT {

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Timeout(90)
  @DisplayName("on every socket of both participants, over many concurrent cross-node chats, each ended by the teacher on reading the last line")
  void answerBeforeCausedPushes() {
    AtomicInteger next = new AtomicInteger();
    new CausalOrder((userId, role) -> {
      int index = next.getAndIncrement() % cluster.members.size();
      TestCluster.Member m = cluster.members.get(index);
      return m.ws().connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(m.port())
          .setURI("/eventbus/websocket?token=" + cluster.token(index, userId, role)));
    }).check();
  }
}
