package io.officehours.chat;

import io.officehours.NodeTest;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CausalOrder} on one node, on the straight path, over several gateway instances: senders
 * and recipients sit on different event loops.
 */
@DisplayName("Causal order on one node: the answer to a line comes before every push the line caused, and chat.started before any line")
class CausalOrderTest extends NodeTest {

  @Override
  protected String[] nodeFlags() {
    return new String[] {"--gateways", "3", "--event-loops", "4"};
  }

  @Test
  @Timeout(60)
  @DisplayName("on every socket of both participants, over many concurrent chats, each ended by the teacher on reading the last line")
  void answerBeforeCausedPushes() {
    new CausalOrder((userId, role) -> node.ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port)
        .setURI("/eventbus/websocket?token=" + node.token(userId, role)))).check();
  }
}
