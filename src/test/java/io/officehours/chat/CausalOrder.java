package io.officehours.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.officehours.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The contract's causal order, seen frame by frame on raw sockets: the {@code {seq}} answer to a
 * line is written to its socket before any push the line caused there (the sender's own copy of
 * the line, and a {@code chat.ended} the teacher sent on reading it), and no line of a chat comes
 * before its {@code chat.started}. Many chats run at once; where each user's socket goes (which
 * gateway instance, which node) is the connector's choice.
 */
public final class CausalOrder {

  /** Opens a raw bridge socket for a user, on whichever node or gateway the test wants. */
  @FunctionalInterface
  public interface Connector {
    Future<WebSocket> connect(String userId, String role);
  }

  private static final int TEACHERS = 3;
  private static final int STUDENTS_PER_TEACHER = 5;
  private static final int LINES = 30;

  private final Connector connector;

  public CausalOrder(Connector connector) {
    this.connector = connector;
  }

  /** A raw bridge socket that keeps every frame it receives, in order. */
  private final class RawSocket {
    final String userId;
    final WebSocket ws;
    final List<JsonObject> frames = new ArrayList<>();
    /** Runs on the socket's event loop for every push to the user's inbox, in order. */
    volatile Consumer<JsonObject> onPush = p -> { };
    private final Map<String, Promise<JsonObject>> pending = new HashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    RawSocket(String userId, String role) {
      this.userId = userId;
      this.ws = TestNode.await(connector.connect(userId, role));
      ws.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        Promise<JsonObject> answer;
        synchronized (this) {
          frames.add(frame);
          answer = pending.remove(frame.getString("address"));
        }
        if (answer != null) {
          if ("err".equals(frame.getString("type"))) answer.fail(frame.encode());
          else answer.complete(frame.getJsonObject("body"));
        } else if (("tutor.user." + userId).equals(frame.getString("address"))) {
          onPush.accept(frame.getJsonObject("body"));
        }
      });
      write(new JsonObject().put("type", "register").put("address", "tutor.user." + userId));
    }

    void write(JsonObject frame) {
      ws.writeTextMessage(frame.encode());
    }

    /** Sends a request; the future completes with the answer's body. */
    synchronized Future<JsonObject> send(String address, JsonObject body, String replyAddress) {
      Promise<JsonObject> answer = Promise.promise();
      pending.put(replyAddress, answer);
      write(new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress));
      return answer.future();
    }

    String nextReplyAddress() {
      return userId + "." + ids.incrementAndGet();
    }

    synchronized List<JsonObject> frames() {
      return List.copyOf(frames);
    }
  }

  /** A line sent by a socket: the reply address it was answered on, and its chat. */
  private record Sent(RawSocket socket, String replyAddress, String chatId) {}

  /** Runs the chats to their end and checks the order on every socket; fails the test if it is ever wrong. */
  public void check() {
    List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> done = new ArrayList<>();
    List<RawSocket> sockets = new ArrayList<>();
    for (int t = 0; t < TEACHERS; t++) {
      RawSocket teacher = new RawSocket("t" + t, "teacher");
      sockets.add(teacher);
      // the teacher answers every student line with one of its own, and ends the chat on "bye"
      teacher.onPush = push -> {
        if ("chat.started".equals(push.getString("type"))) {
          // a greeting at once: it must not overtake the student's own chat.started
          String chatId = push.getJsonObject("chat").getString("chatId");
          String reply = teacher.nextReplyAddress();
          sent.add(new Sent(teacher, reply, chatId));
          teacher.send("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "hello"), reply);
          return;
        }
        if (!"chat.message".equals(push.getString("type")) || push.getString("from").equals(teacher.userId)) return;
        String chatId = push.getString("chatId");
        String reply = teacher.nextReplyAddress();
        if ("bye".equals(push.getString("text"))) {
          teacher.send("tutor.chat.end", new JsonObject().put("chatId", chatId), reply);
        } else {
          sent.add(new Sent(teacher, reply, chatId));
          teacher.send("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", "re: " + push.getString("text")), reply);
        }
      };
      for (int s = 0; s < STUDENTS_PER_TEACHER; s++) {
        RawSocket student = new RawSocket("s" + t + "-" + s, "student");
        sockets.add(student);
        Promise<Void> ended = Promise.promise();
        done.add(ended.future());
        student.onPush = push -> {
          String type = push.getString("type");
          if ("chat.ended".equals(type)) {
            ended.tryComplete();
          } else if ("chat.started".equals(type)) {
            // every line at once, without waiting for answers: the last one makes the teacher end the chat
            String chatId = push.getJsonObject("chat").getString("chatId");
            for (int i = 1; i <= LINES; i++) {
              String reply = student.nextReplyAddress();
              sent.add(new Sent(student, reply, chatId));
              student.send("tutor.chat.send", new JsonObject().put("chatId", chatId).put("text", i == LINES ? "bye" : "line " + i), reply);
            }
          }
        };
        TestNode.await(student.send("tutor.student.ready", new JsonObject(), student.nextReplyAddress()));
      }
    }
    for (int t = 0; t < TEACHERS; t++) {
      RawSocket teacher = sockets.get(t * (STUDENTS_PER_TEACHER + 1));
      for (int s = 0; s < STUDENTS_PER_TEACHER; s++) {
        TestNode.await(teacher.send("tutor.teacher.claim", new JsonObject(), teacher.nextReplyAddress()));
      }
    }
    TestNode.await(Future.all(done));
    // the teachers' last answers may still be on their way: a barrier request per socket
    for (RawSocket socket : sockets) TestNode.await(socket.send("tutor.me", new JsonObject(), socket.nextReplyAddress()));

    for (RawSocket socket : sockets) assertStartedFirst(socket);
    int checked = 0;
    for (Sent line : List.copyOf(sent)) {
      List<JsonObject> frames = line.socket().frames();
      int answer = indexOf(frames, f -> line.replyAddress().equals(f.getString("address")));
      if (answer < 0) fail(line.socket().userId + " got no answer on " + line.replyAddress());
      JsonObject answerFrame = frames.get(answer);
      if ("err".equals(answerFrame.getString("type"))) {
        // a teacher's line racing the end of its chat may be refused (409): nothing to order
        assertEquals(409, answerFrame.getInteger("failureCode"), answerFrame.encode());
        continue;
      }
      long seq = answerFrame.getJsonObject("body").getLong("seq");
      String inbox = "tutor.user." + line.socket().userId;
      int echo = indexOf(frames, f -> inbox.equals(f.getString("address"))
          && "chat.message".equals(f.getJsonObject("body").getString("type"))
          && line.chatId().equals(f.getJsonObject("body").getString("chatId"))
          && f.getJsonObject("body").getLong("seq") == seq);
      int ended = indexOf(frames, f -> inbox.equals(f.getString("address"))
          && "chat.ended".equals(f.getJsonObject("body").getString("type"))
          && line.chatId().equals(f.getJsonObject("body").getString("chatId")));
      assertTrue(echo > answer, line.socket().userId + ": the push of seq " + seq + " came before its answer (" + echo + " < " + answer + ")");
      assertTrue(ended > answer, line.socket().userId + ": chat.ended came before the answer to seq " + seq + " (" + ended + " < " + answer + ")");
      checked++;
    }
    assertTrue(checked >= TEACHERS * STUDENTS_PER_TEACHER * LINES, "every student line was checked: " + checked);
    for (RawSocket socket : sockets) socket.ws.close();
  }

  /** No line of a chat reaches a socket before the chat's chat.started. */
  private static void assertStartedFirst(RawSocket socket) {
    java.util.Set<String> started = new java.util.HashSet<>();
    for (JsonObject frame : socket.frames()) {
      JsonObject body = frame.getJsonObject("body");
      if (!("tutor.user." + socket.userId).equals(frame.getString("address")) || body == null) continue;
      String type = body.getString("type");
      if ("chat.started".equals(type)) started.add(body.getJsonObject("chat").getString("chatId"));
      if ("chat.message".equals(type) && !started.contains(body.getString("chatId"))) {
        fail(socket.userId + ": seq " + body.getLong("seq") + " of chat " + body.getString("chatId") + " came before its chat.started");
      }
    }
  }

  private static int indexOf(List<JsonObject> frames, java.util.function.Predicate<JsonObject> match) {
    for (int i = 0; i < frames.size(); i++) {
      if (match.test(frames.get(i))) return i;
    }
    return -1;
  }
}
