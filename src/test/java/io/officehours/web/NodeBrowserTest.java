package io.officehours.web;

import io.officehours.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** Browser tests against one fresh node per test: the node, the browsers, and the pages' URLs. */
abstract class NodeBrowserTest {

  protected TestNode node;
  protected Browsers browsers;

  @BeforeAll
  static void chromiumIsInstalled() {
    Browsers.requireChromium();
  }

  /** The node's flags; override to change them. */
  protected String[] nodeFlags() {
    return new String[0];
  }

  @BeforeEach
  void startNodeAndBrowsers(TestInfo info) {
    browsers = new Browsers(info.getTestMethod().map(m -> m.getName()).orElse("test"));
    node = TestNode.start(nodeFlags());
  }

  @AfterEach
  void stopNodeAndBrowsers() {
    if (browsers != null) browsers.close();
    if (node != null) node.close();
  }

  protected String url(String page) {
    return "http://127.0.0.1:" + node.port + "/" + page;
  }
}
