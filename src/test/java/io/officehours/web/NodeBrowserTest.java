package io.officehours.web;

import io.officehours.NodeTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** Browser tests against one fresh node per test: the browsers, and the pages' URLs. */
abstract class NodeBrowserTest extends NodeTest {

  protected Browsers browsers;

  @BeforeAll
  static void chromiumIsInstalled() {
    Browsers.requireChromium();
  }

  @BeforeEach
  void startBrowsers(TestInfo info) {
    browsers = new Browsers(info.getTestMethod().map(m -> m.getName()).orElse("test"));
  }

  @AfterEach
  void stopBrowsers() {
    if (browsers != null) browsers.close();
  }

  protected String url(String page) {
    return "http://127.0.0.1:" + node.port + "/" + page;
  }
}
