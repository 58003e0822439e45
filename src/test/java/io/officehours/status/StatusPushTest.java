package io.officehours.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.NodeTest;
import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.time.Duration;

@DisplayName("tutor.status tells staff the counts right away and on every change, coalesced")
class StatusPushTest extends NodeTest {

  private static JsonObject status(int waiting, int teachers, int students, int chats) {
    return new JsonObject().put("type", "status")
        .put("waiting", waiting).put("teachers", teachers).put("students", students).put("chats", chats);
  }

  @Test
  @Timeout(20)
  @DisplayName("a teacher gets the current status once on register, then a push after a ready and after a claim")
  void pushesOnChange() {
    BridgeClient waiting = node.connect("s0", "student");
    TestNode.await(waiting.request("tutor.student.ready", new JsonObject()));
    BridgeClient teacher = node.connect("t1", "teacher");
    Pushes pushes = new Pushes();
    teacher.register("tutor.status", pushes::add);
    JsonObject current = pushes.await("status");
    assertEquals(current, pushes.all().get(0), "the current status is the first frame");
    assertEquals(1, current.getInteger("waiting"), "the status as it is: " + current);
    assertEquals(1, current.getInteger("students"));
    assertEquals(0, current.getInteger("chats"));
    // the subscriber's own connection may be counted in this frame or in the next push
    int teachers = current.getInteger("teachers");
    assertTrue(teachers == 0 || teachers == 1, "teachers: " + current);
    JsonObject settled = teachers == 1 ? current : pushes.await(p -> p.getInteger("teachers") == 1);
    assertEquals(status(1, 1, 1, 0), settled);
    TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject()));
    assertEquals(status(0, 1, 1, 1), pushes.await(p -> p.getInteger("chats") == 1));

    BridgeClient student = node.connect("s1", "student");
    TestNode.await(student.request("tutor.student.ready", new JsonObject()));
    assertEquals(status(1, 1, 2, 1), pushes.await(p -> p.getInteger("waiting") == 1 && p.getInteger("chats") == 1));

    TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject()));
    assertEquals(status(0, 1, 2, 2), pushes.await(p -> p.getInteger("chats") == 2));

    List<JsonObject> all = pushes.all();
    assertEquals(1, all.stream().filter(p -> p == current).count(), "the current status came once");
    // pushes after the first frame never repeat each other (the first may repeat the snapshot)
    for (int i = 2; i < all.size(); i++) {
      assertNotEquals(all.get(i - 1), all.get(i), "a push repeats the one before it: " + all);
    }
  }

  @Test
  @Timeout(20)
  @DisplayName("twenty students readying at once cause a handful of status pushes, the last one saying waiting 20")
  void coalesced() throws InterruptedException {
    BridgeClient admin = node.connect("admin1", "admin");
    Pushes pushes = new Pushes();
    admin.register("tutor.status", pushes::add);
    pushes.await("status");
    List<BridgeClient> students = new ArrayList<>();
    for (int i = 0; i < 20; i++) students.add(node.connect("s" + i, "student"));
    pushes.await(p -> p.getInteger("students") == 20);
    int before = pushes.all().size();

    List<Future<JsonObject>> readies = new ArrayList<>();
    for (BridgeClient s : students) readies.add(s.request("tutor.student.ready", new JsonObject()));
    TestNode.await(Future.all(readies));
    pushes.await(p -> p.getInteger("waiting") == 20);
    // pushes are at most 100 ms late: once none came for 150 ms, the burst is over
    pushes.awaitQuiet(Duration.ofMillis(150));
    List<JsonObject> burst = pushes.all().subList(before, pushes.all().size());
    System.out.printf("status: 20 readies in %d pushes%n", burst.size());
    assertTrue(burst.size() <= 4, "20 readies caused " + burst.size() + " pushes: " + burst);
    assertEquals(status(20, 0, 20, 0), burst.get(burst.size() - 1), "the last push has the final counts");
  }
}
