package io.officehours.chat;

import io.officehours.NodeTest;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CausalOrder} on one node without the straight path: lines go to the chat verticle over
 * the event bus and pushes come back over it, another way than the answers.
 */
@DisplayName("Causal order over the event bus (--no-straight-path): the answer to a line comes before every push the line caused, and chat.started before any line")
class CausalOrderBusTest extends NodeTest {

  @Override
  protected String[] nodeFlags() {
    return new String[] {"--no-straight-path", "--gateways", "3", "--event-loops", "4"};
  }

  @Test
  @Timeout(60)
  @DisplayName("on every socket of both participants, over many concurrent chats, each ended by the teacher on reading the last line")
  void answerBeforeCausedPushes() {
    new CausalOrder((userId, role) -> node.ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port)
        .setURI("/eventbus/websocket?token=" + node.token(userId, role)))).check();
  }
}
