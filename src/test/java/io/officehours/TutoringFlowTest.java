package io.officehours;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("The whole tutoring flow on one node, over real WebSockets")
class TutoringFlowTest extends NodeTest {

  private static final int STUDENTS = 20;
  private static final int TEACHERS = 2;
  private static final int TEACHER_LINES = 5;

  /** A teacher that keeps claiming while it has room and answers every student line until it said enough. */
  private static final class Teacher {
    final String id;
    final BridgeClient client;
    final Map<String, AtomicInteger> linesSent = new ConcurrentHashMap<>();
    final Map<String, List<JsonObject>> received = new ConcurrentHashMap<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicBoolean claiming = new AtomicBoolean();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    Teacher(String id, BridgeClient client) {
      this.id = id;
      this.client = client;
    }

    void start() {
      client.register("tutor.user." + id, this::onPush);
      claimWhileRoom();
    }

    /** One claim in flight at a time: the server would rightly answer 409 to a second one at capacity. */
    void claimWhileRoom() {
      if (open.get() >= 5 || !claiming.compareAndSet(false, true)) return;
      client.request("tutor.teacher.claim", new JsonObject()).onComplete(ar -> {
        claiming.set(false);
        if (ar.failed()) {
          failures.add(ar.cause());
          return;
        }
        if (ar.result().getValue("chat") != null) {
          open.incrementAndGet();
          claimWhileRoom();
        }
      });
    }

    void onPush(JsonObject push) {
      String chatId = push.getString("chatId", push.getJsonObject("chat", new JsonObject()).getString("chatId"));
      switch (push.getString("type")) {
        case "chat.started" -> say(chatId);
        case "chat.message" -> {
          received.computeIfAbsent(chatId, c -> new CopyOnWriteArrayList<>()).add(push);
          if (push.getString("from").equals(id)) return;
          if (linesSent.get(chatId).get() < TEACHER_LINES) {
            say(chatId);
          } else {
            client.request("tutor.chat.end", new JsonObject().put("chatId", chatId))
                .onFailure(failures::add)
                .onSuccess(v -> {
                  open.decrementAndGet();
                  claimWhileRoom();
                });
          }
        }
        default -> { }
      }
    }

    void say(String chatId) {
      int n = linesSent.computeIfAbsent(chatId, c -> new AtomicInteger()).incrementAndGet();
      client.request("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "teacher line " + n))
          .onFailure(failures::add);
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("20 students and 2 teachers: every chat ends, every message arrives once and in seq order")
  void twentyStudentsTwoTeachers() {
    long started = System.nanoTime();
    List<Promise<JsonObject>> ended = new ArrayList<>();
    Map<String, List<JsonObject>> studentReceived = new ConcurrentHashMap<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int i = 0; i < STUDENTS; i++) {
      String id = "s" + i;
      BridgeClient student = node.connect(id, "student");
      Promise<JsonObject> done = Promise.promise();
      ended.add(done);
      student.register("tutor.user." + id, push -> {
        switch (push.getString("type")) {
          case "chat.message" -> {
            studentReceived.computeIfAbsent(push.getString("chatId"), c -> new CopyOnWriteArrayList<>()).add(push);
            if (!push.getString("from").equals(id)) {
              student.request("tutor.chat.send", new JsonObject().put("chatId", push.getString("chatId"))
                  .put("text", "student reply to " + push.getLong("seq"))).onFailure(failures::add);
            }
          }
          case "chat.ended" -> done.tryComplete(push);
          default -> { }
        }
      });
      // the registration frame goes first on the same socket, so no push can be missed
      JsonObject ready = TestNode.await(student.request("tutor.student.ready", new JsonObject()));
      assertEquals(i + 1, ready.getInteger("position"), "FIFO position of " + id);
    }
    List<Teacher> teachers = new ArrayList<>();
    for (int t = 0; t < TEACHERS; t++) {
      Teacher teacher = new Teacher("t" + t, node.connect("t" + t, "teacher"));
      teachers.add(teacher);
      teacher.start();
    }

    List<JsonObject> ends = TestNode.await(Future.all(ended.stream().map(Promise::future).toList())).list();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("20-student flow: %d chats in %d ms%n", ends.size(), millis);

    for (JsonObject end : ends) {
      assertEquals("ended", end.getString("reason"));
    }
    assertEquals(STUDENTS, studentReceived.size(), "every student chatted");
    for (Teacher teacher : teachers) {
      assertTrue(teacher.failures.isEmpty(), "teacher failures: " + teacher.failures);
      teacher.received.forEach((chatId, lines) -> assertGapless(lines, chatId));
    }
    assertTrue(failures.isEmpty(), "student failures: " + failures);
    studentReceived.forEach((chatId, lines) -> assertGapless(lines, chatId));
    int teacherChats = teachers.stream().mapToInt(t -> t.received.size()).sum();
    assertEquals(STUDENTS, teacherChats, "the teachers saw every chat");
  }

  /** Both participants receive every line: seq 1..2*TEACHER_LINES, each once, in order. */
  private static void assertGapless(List<JsonObject> lines, String chatId) {
    assertEquals(2 * TEACHER_LINES, lines.size(), "lines of " + chatId);
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i + 1, lines.get(i).getLong("seq"), "seq order in " + chatId);
    }
  }
}
