package io.officehours.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.cluster.TestCluster;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("In a cluster of two, the console on one node sees and reaches the other")
class AdminClusterIT {

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
  @Timeout(60)
  @DisplayName("an admin on node A sees tap entries recorded on node B, and a notice it publishes reaches a student on B")
  void tapAndNoticeAcrossNodes() {
    BridgeClient admin = cluster.connect(0, "ops", "admin");
    AdminConsoleTest.TapFeed feed = AdminConsoleTest.tap(admin);
    BridgeClient student = cluster.connect(1, "x-s1", "student");
    Pushes inbox = new Pushes();
    student.register("tutor.user.x-s1", inbox::add);

    JsonObject fromB = AdminConsoleTest.awaitTapLive(feed, student, "x-s1");
    assertEquals("n1", fromB.getString("node"), "recorded by the student's node");

    JsonObject sent = AdminConsoleTest.adminSend(admin, new JsonObject().put("address", "tutor.user.x-s1").put("publish", true)
        .put("body", new JsonObject().put("type", "notice").put("text", "Room 2 is free now.")));
    assertTrue(sent.getBoolean("published"));
    JsonObject notice = inbox.await("notice");
    assertEquals("Room 2 is free now.", notice.getString("text"));
    assertEquals("ops", notice.getString("from"));

    JsonObject push = feed.entries.await(AdminConsoleTest.entry("out", "push", "tutor.user.x-s1"));
    assertEquals("n1", push.getString("node"), "the push was written on node B, and B's tap saw it");
    JsonObject request = feed.entries.await(AdminConsoleTest.entry("in", "send", AdminAddresses.SEND));
    assertEquals("n0", request.getString("node"), "the admin's own request, on node A");
    TestNode.await(admin.close());
  }
}
