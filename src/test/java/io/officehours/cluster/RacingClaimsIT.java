package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.loadtest.BridgeError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Claims racing on three nodes never share a student and never exceed capacity")
class RacingClaimsIT {

  private static final int STUDENTS = 200;
  private static final int TEACHERS = 10;
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Timeout(120)
  @DisplayName("200 students, 10 teachers on 3 nodes (each teacher with tabs on two nodes) claiming at once: every student served once, FIFO kept")
  void racingClaims() {
    List<BridgeClient> students = new ArrayList<>();
    for (int i = 0; i < STUDENTS; i++) {
      BridgeClient s = cluster.connect(i % 3, "r-s" + i, "student");
      students.add(s);
      assertEquals(i + 1, TestNode.await(s.request("tutor.student.ready", new JsonObject())).getInteger("position"));
    }
    // two tabs per teacher on two different nodes
    List<List<BridgeClient>> tabs = new ArrayList<>();
    for (int t = 0; t < TEACHERS; t++) {
      tabs.add(List.of(cluster.connect(t % 3, "r-t" + t, "teacher"), cluster.connect((t + 1) % 3, "r-t" + t, "teacher")));
    }
    Map<String, String> claimedBy = new HashMap<>();
    List<String> claimOrder = new ArrayList<>();
    int rounds = 0;
    while (claimedBy.size() < STUDENTS && rounds++ < 50) {
      // every tab fires 4 claims at the same instant: far more than capacity allows
      List<Future<JsonObject>> claims = new ArrayList<>();
      List<String> claimers = new ArrayList<>();
      for (int t = 0; t < TEACHERS; t++) {
        for (BridgeClient tab : tabs.get(t)) {
          for (int k = 0; k < 4; k++) {
            claims.add(tab.request("tutor.teacher.claim", new JsonObject()));
            claimers.add("r-t" + t);
          }
        }
      }
      TestNode.await(Future.join(claims).recover(e -> Future.succeededFuture()));
      Map<String, List<String>> openByTeacher = new HashMap<>();
      for (int i = 0; i < claims.size(); i++) {
        Future<JsonObject> f = claims.get(i);
        if (f.failed()) {
          assertEquals(409, ((BridgeError) f.cause()).code(), "only capacity conflicts are expected: " + f.cause());
          continue;
        }
        JsonObject chat = f.result().getJsonObject("chat");
        if (chat == null) continue;
        String student = chat.getString("studentId");
        assertEquals(claimers.get(i), chat.getString("teacherId"));
        String previous = claimedBy.put(student, chat.getString("teacherId"));
        assertEquals(null, previous, student + " claimed twice");
        claimOrder.add(student);
        openByTeacher.computeIfAbsent(chat.getString("teacherId"), x -> new ArrayList<>()).add(chat.getString("chatId"));
      }
      openByTeacher.forEach((teacher, chats) -> assertTrue(chats.size() <= 5, teacher + " holds " + chats.size() + " chats"));
      // every teacher ends what it holds before the next round
      List<Future<JsonObject>> ends = new ArrayList<>();
      openByTeacher.forEach((teacher, chats) -> {
        int t = Integer.parseInt(teacher.substring(3));
        chats.forEach(c -> ends.add(tabs.get(t).get(0).request("tutor.chat.end", new JsonObject().put("chatId", c))));
      });
      TestNode.await(Future.all(ends));
    }
    assertEquals(STUDENTS, claimedBy.size(), "every student served");
    Set<String> distinct = new HashSet<>(claimOrder);
    assertEquals(STUDENTS, distinct.size());
    // the queue hands students out in arrival order, whichever node asks
    List<String> sortedByArrival = new ArrayList<>(claimOrder);
    sortedByArrival.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3))));
    assertEquals(sortedByArrival.subList(0, 50).stream().sorted().toList(), claimOrder.subList(0, 50).stream().sorted().toList(),
        "the first 50 claimed are the first 50 who arrived");
  }
}
