package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.Pushes;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.officehours.presence.PresenceEntry;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A push goes only to the nodes that hold a recipient; a connection on a node new to its user must
 * not miss one while the other nodes learn where the user is. Teachers on node 0 own the chats;
 * each student's first socket is on node 1; then each student opens a second socket on node 2,
 * registers its inbox and at once sends a line on it, without waiting: the line's own push must
 * reach that socket. Without the announcement the owner's directory still says "node 1 only" for
 * most of these lines.
 */
@DisplayName("Targeted pushes: a fresh connection on a node new to its user misses no push")
class FreshConnectionIT {

  private static final int TEACHERS = 8;
  private static final int CAPACITY = 5;
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Student(String userId, String chatId) {}

  @Test
  @Timeout(90)
  @DisplayName("the push of a line sent right after registering, on a node the user was not on, reaches that socket")
  void freshSocketGetsItsOwnLine() {
    List<Student> students = new ArrayList<>();
    for (int t = 0; t < TEACHERS; t++) {
      BridgeClient teacher = cluster.connect(0, "fc-t" + t, "teacher");
      teacher.register("tutor.user.fc-t" + t, p -> { });
      for (int s = 0; s < CAPACITY; s++) {
        String userId = "fc-s" + t + "-" + s;
        Pushes home = new Pushes();
        BridgeClient student = cluster.connect(1, userId, "student");
        student.register("tutor.user." + userId, home::add);
        TestNode.await(student.request("tutor.student.ready", new JsonObject()));
        String chatId = TestNode.await(teacher.request("tutor.teacher.claim", new JsonObject())).getJsonObject("chat").getString("chatId");
        assertEquals(chatId, home.await("chat.started").getJsonObject("chat").getString("chatId"));
        students.add(new Student(userId, chatId));
      }
    }
    // node 0's presence replica falls behind: its map events for these students wait on Hazelcast's
    // event threads behind a listener held until every fresh socket's outcome is known, as on a
    // very busy node; the chat owner's pushes must not
    CountDownLatch outcomesKnown = new CountDownLatch(1);
    IMap<String, PresenceEntry> presence = cluster.members.get(0).node().hazelcast().getMap("officehours.presence");
    UUID slow = presence.addEntryListener((EntryAddedListener<String, PresenceEntry>) e -> {
      if (e.getValue().getUserId().startsWith("fc-s")) awaitQuietly(outcomesKnown);
    }, true);
    List<Future<Boolean>> got = new ArrayList<>();
    try {
      sendFromFreshSockets(students, got);
      TestNode.await(Future.all(got));
    } finally {
      outcomesKnown.countDown();
      presence.removeEntryListener(slow);
    }
    long missed = got.stream().filter(f -> !f.result()).count();
    assertTrue(missed == 0, missed + " of " + students.size() + " fresh sockets missed the push of their own line");
  }

  /** Each student opens a socket on node 2, registers its inbox and at once sends a line; true when the line's push came. */
  private static void sendFromFreshSockets(List<Student> students, List<Future<Boolean>> got) {
    for (Student s : students) {
      TestCluster.Member m = cluster.members.get(2);
      Pushes fresh = new Pushes();
      got.add(BridgeClient.connect(m.ws(), "127.0.0.1", m.port(), cluster.token(2, s.userId(), "student")).compose(socket -> {
        socket.register("tutor.user." + s.userId(), fresh::add);
        return socket.request("tutor.chat.send", new JsonObject().put("chatId", s.chatId()).put("text", "from a fresh socket"));
      }).compose(answer -> {
        long seq = answer.getLong("seq");
        Promise<Boolean> seen = Promise.promise();
        fresh.next(p -> "chat.message".equals(p.getString("type")) && p.getLong("seq") == seq).onSuccess(p -> seen.tryComplete(true));
        cluster.members.get(2).node().vertx().setTimer(3000, t -> seen.tryComplete(false));
        return seen.future();
      }));
    }
  }
}
