package io.officehours.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.chat.ChatAddresses;
import io.officehours.cluster.ClusterNode;
import io.officehours.cluster.TestCluster;
import io.officehours.common.ClusterEvents;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A claim whose node died after it had created the chat and pushed {@code chat.started}, but
 * before the roster confirmed it. The survivors abort the claim (the student goes back to its old
 * place) and end that chat, so the student, who saw it start, also sees it end and is not left in
 * a chat nobody else knows. The dead node's part is played here on a live member: the chat opened
 * with an id drawn beforehand and a claim recorded for a node id that then leaves.
 */
@DisplayName("a claim aborted with its node: the chat it had opened ends, and the student is back at its place")
@Timeout(120)
class AbortedClaimIT {

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
  void theChatOfAnAbortedClaimEnds() {
    ClusterNode node = cluster.members.get(0).node();
    BridgeClient student = cluster.connect(0, "ac-s", "student");
    Pushes studentSaw = new Pushes();
    student.register("tutor.user.ac-s", studentSaw::add);
    BridgeClient teacher = cluster.connect(1, "ac-t", "teacher");
    teacher.register("tutor.user.ac-t", p -> { });
    assertEquals(1, TestNode.await(student.request("tutor.student.ready", new JsonObject())).getInteger("position"));

    // what the dead node did: opened the chat (chat.started reaches the student) and held the claim
    String chatId = TestNode.await(node.vertx().eventBus().<JsonObject>request(ChatAddresses.OPEN,
        new JsonObject().put("teacherId", "ac-t").put("studentId", "ac-s"))).body().getString("chatId");
    assertEquals(chatId, studentSaw.await("chat.started").getJsonObject("chat").getString("chatId"));
    var roster = new HazelcastRosterStore(node.hazelcast().getMap(HazelcastRosterStore.MAP), 5, node.vertx().getOrCreateContext());
    Roster.PendingClaim claim = TestNode.await(roster.run(new RosterOps.StartClaim("ac-t", "ghost-node", chatId))).value();
    assertEquals("ac-s", claim.studentId());

    node.vertx().eventBus().publish(ClusterEvents.NODE_LEFT, new JsonObject().put("nodeId", "ghost-node"));

    JsonObject ended = studentSaw.await("chat.ended");
    assertEquals(chatId, ended.getString("chatId"));
    assertEquals("left", ended.getString("reason"));
    JsonObject me = TestNode.await(student.request("tutor.me", new JsonObject()));
    assertEquals(1, me.getInteger("position"), me.encode());
    assertTrue(me.getJsonArray("chats").isEmpty(), me.encode());
    // and the teacher's slot is free: the next claim takes the student again, in a new chat
    JsonObject again = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat");
    assertEquals("ac-s", again.getString("studentId"));
    assertNotEquals(chatId, again.getString("chatId"));
  }
}
