package io.officehours.chat;

import org.junit.jupiter.api.DisplayName;

/**
 * {@link CausalOrderTest}'s chats on one node without the straight path: lines go to the chat
 * verticle over the event bus and pushes come back over it, another way than the answers.
 */
@DisplayName("Causal order over the event bus (--no-straight-path): the answer to a line comes before every push the line caused, and chat.started before any line")
class CausalOrderBusTest extends CausalOrderTest {

  @Override
  protected String[] nodeFlags() {
    return new String[] {"--no-straight-path", "--gateways", "3", "--event-loops", "4"};
  }
}
