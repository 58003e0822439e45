package io.officehours;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests against one fresh node per test, started with {@link #nodeFlags()} and closed after. */
public abstract class NodeTest {

  protected TestNode node;

  /** The node's flags; override to change them. */
  protected String[] nodeFlags() {
    return new String[0];
  }

  @BeforeEach
  void startNode() {
    node = TestNode.start(nodeFlags());
  }

  @AfterEach
  void stopNode() {
    if (node != null) node.close();
  }
}
