package io.officehours.loadtest;

import io.officehours.chat.ChatAddresses;
import io.officehours.push.InboxAddresses;
import io.officehours.roster.RosterAddresses;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The classic run: students connect at once and get ready; teachers claim while under capacity and
 * while {@code tutor.status} says someone waits; a teacher opens each chat with line 1, answers
 * every student line and ends the chat after {@code messages} student lines; a student answers
 * every teacher line and disconnects when its chat ends. A chat thus has {@code 2 * messages}
 * lines, seq 1 to {@code 2 * messages}, and both participants must receive each exactly once and in
 * order.
 *
 * <p>A status push is a state, not an event (the server coalesces and never repeats one), so a
 * teacher whose claim came back empty might never hear that someone waits again; a teacher with room
 * that has not claimed for a second claims anyway ({@code claimPolls} counts those).
 */
@Command(name = "tutoring", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Students queue, teachers claim and chat; checks every line arrived exactly once, in order.")
final class TutoringScenario extends Scenario implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--students", defaultValue = "1000", description = "Students (default: ${DEFAULT-VALUE})")
  int students;

  @Option(names = "--teachers", defaultValue = "10", description = "Teachers (default: ${DEFAULT-VALUE})")
  int teachers;

  @Option(names = "--messages", defaultValue = "50",
      description = "Student lines after which the teacher ends a chat; a chat has twice as many lines (default: ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--capacity", defaultValue = "5",
      description = "Open chats per teacher; must not exceed the server's --capacity (default: ${DEFAULT-VALUE})")
  int capacity;

  private final List<Student> studentList = new ArrayList<>();
  private final List<Teacher> teacherList = new ArrayList<>();
  private final AtomicInteger studentsFinished = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private String[] tokens;
  private volatile boolean stopping;
  private int myStudents;
  private int myTeachers;

  @Override
  public Integer call() {
    if (students < 0 || teachers < 1 || messages < 1 || capacity < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "need --teachers >= 1, --messages >= 1, --capacity >= 1, --students >= 0");
    }
    return Driver.run(common, this, spec);
  }

  @Override
  String name() {
    return "tutoring";
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("students", students).put("teachers", teachers).put("messages", messages)
        .put("capacity", capacity);
  }

  @Override
  int connectionsPerTarget(CommonOptions o) {
    int n = o.targets().size();
    return (students + teachers + n - 1) / n;
  }

  @Override
  Future<Void> prepare(RunContext ctx) {
    myStudents = ctx.options.share(students);
    myTeachers = ctx.options.share(teachers);
    ctx.stats.declare("studentsReady", "chatsStarted", "chatsEnded", "chatsLeft", "messages", "claims",
        "claimsEmpty", "claimPolls", "retries", "lost", "duplicated", "outOfOrder", "unexpectedSeq", "chatsVerified",
        "studentsFailed", "studentsUnfinished", "teacherChatsOpen");
    ctx.stats.declareHistograms("send", "roundTrip", "ack", "ready", "claim");
    List<Tokens.User> users = new ArrayList<>();
    for (int k = 0; k < myTeachers; k++) users.add(new Tokens.User(ctx.options.userId("t", k), "teacher"));
    for (int k = 0; k < myStudents; k++) users.add(new Tokens.User(ctx.options.userId("s", k), "student"));
    return Tokens.fetch(ctx.vertx, ctx.options, users).map(t -> {
      tokens = t;
      return null;
    });
  }

  @Override
  void start(RunContext ctx) {
    for (int k = 0; k < myTeachers; k++) {
      Teacher t = new Teacher(ctx.options.userId("t", k), ctx);
      teacherList.add(t);
      t.start(ctx, ctx.options.globalIndex(k), tokens[k]);
    }
    for (int k = 0; k < myStudents; k++) {
      Student s = new Student(ctx.options.userId("s", k), ctx);
      studentList.add(s);
      s.start(ctx, ctx.options.globalIndex(k), tokens[myTeachers + k]);
    }
  }

  @Override
  boolean steady() {
    return attempts.get() >= myStudents + myTeachers;
  }

  @Override
  boolean selfDone() {
    return studentsFinished.get() >= myStudents;
  }

  @Override
  Future<Void> stop(RunContext ctx) {
    stopping = true;
    for (Student s : studentList) if (!s.done) ctx.stats.inc("studentsUnfinished");
    for (Teacher t : teacherList) {
      t.stop();
      ctx.stats.add("teacherChatsOpen", t.chats.size());
    }
    return ctx.connector.closeAll();
  }

  private void studentFinished() {
    studentsFinished.incrementAndGet();
  }

  private final class Student extends Participant {
    private final RunContext ctx;
    private long connectStarted;
    private Side side;
    volatile boolean done;

    Student(String id, RunContext ctx) {
      super(id, ctx);
      this.ctx = ctx;
    }

    @Override
    boolean stopping() {
      return stopping;
    }

    void start(RunContext ctx, int globalIndex, String token) {
      connectStarted = System.nanoTime();
      ctx.connector.connect(globalIndex, token)
          .onComplete(ar -> attempts.incrementAndGet())
          .onSuccess(this::connected)
          .onFailure(e -> fail());
    }

    private void connected(BridgeClient c) {
      client = c;
      pacer = ctx.pacer();
      c.register(InboxAddresses.inbox(id), this::onPush, e -> stats.error("register." + e.code()));
      c.request(RosterAddresses.READY, new JsonObject()).onComplete(ar -> {
        if (ar.succeeded()) {
          stats.inc("studentsReady");
          stats.recordSince("ready", connectStarted);
        } else {
          stats.error(code(ar.cause()));
          fail();
        }
      });
      c.closeFuture().onComplete(v -> {
        if (!done && !stopping) fail();
      });
    }

    private void fail() {
      if (done) return;
      done = true;
      stats.inc("studentsFailed");
      studentFinished();
    }

    private void onPush(JsonObject push) {
      switch (push.getString("type", "")) {
        case "chat.started" -> {
          JsonObject chat = push.getJsonObject("chat", new JsonObject());
          if (side != null) {
            stats.error("unexpected.second-chat");
            return;
          }
          side = new Side(chat.getString("chatId"));
          stats.inc("chatsStarted");
        }
        case "chat.message" -> {
          if (side == null || !side.chatId.equals(push.getString("chatId"))) {
            stats.error("unexpected.message");
            return;
          }
          if (received(side, push)) sendLine(side, 's');
        }
        case "chat.ended" -> {
          if (side == null || !side.chatId.equals(push.getString("chatId")) || done) {
            stats.error("unexpected.ended");
            return;
          }
          if ("ended".equals(push.getString("reason"))) {
            verify(side, 2 * messages);
            stats.inc("chatsEnded");
            stats.markLast("lastChatEnded", EpochClock.millis());
          } else {
            stats.inc("chatsLeft");
          }
          done = true;
          studentFinished();
          ctx.connector.close(client);
        }
        default -> stats.error("unexpected.push");
      }
    }
  }

  private final class Teacher extends Participant {
    final Map<String, Side> chats = new ConcurrentHashMap<>();
    private boolean claiming;
    private int lastWaiting;
    private long lastClaimAt;
    private long pollTimer = -1;

    Teacher(String id, RunContext ctx) {
      super(id, ctx);
    }

    @Override
    boolean stopping() {
      return stopping;
    }

    void start(RunContext ctx, int globalIndex, String token) {
      ctx.connector.connect(globalIndex, token)
          .onComplete(ar -> attempts.incrementAndGet())
          .onSuccess(c -> {
            client = c;
            pacer = ctx.pacer();
            c.register(InboxAddresses.inbox(id), this::onPush, e -> stats.error("register." + e.code()));
            c.register(StatusAddresses.TOPIC, this::onStatus, e -> stats.error("register." + e.code()));
            lastClaimAt = System.nanoTime();
            // set on the socket's event loop, so the poll runs there too
            pollTimer = vertx.setPeriodic(1000, t -> poll());
          });
    }

    void stop() {
      if (pollTimer >= 0) vertx.cancelTimer(pollTimer);
    }

    private void onStatus(JsonObject status) {
      lastWaiting = status.getInteger("waiting", 0);
      maybeClaim();
    }

    private void maybeClaim() {
      if (lastWaiting > 0) claim();
    }

    private void poll() {
      if (stopping) {
        stop();
        return;
      }
      if (System.nanoTime() - lastClaimAt > 1_000_000_000L && !claiming && chats.size() < capacity) {
        stats.inc("claimPolls");
        claim();
      }
    }

    private void claim() {
      if (stopping || claiming || chats.size() >= capacity) return;
      claiming = true;
      lastClaimAt = System.nanoTime();
      pacer.submit(() -> {
        long t = System.nanoTime();
        client.request(RosterAddresses.CLAIM, new JsonObject()).onComplete(ar -> {
          claiming = false;
          // a claim still on the way when the run stops dies with its socket: that is no error
          if (ar.failed() && stopping) return;
          stats.recordSince("claim", t);
          if (ar.failed()) {
            String code = code(ar.cause());
            stats.error(code);
            if ("429".equals(code)) vertx.setTimer(100, x -> maybeClaim());
            return;
          }
          JsonObject chat = ar.result().getJsonObject("chat");
          if (chat == null) {
            stats.inc("claimsEmpty");
            lastWaiting = 0;
            return;
          }
          stats.inc("claims");
          chats.computeIfAbsent(chat.getString("chatId"), Side::new);
          maybeClaim();
        });
      });
    }

    private void onPush(JsonObject push) {
      String chatId = push.getString("chatId");
      switch (push.getString("type", "")) {
        case "chat.started" -> {
          Side side = chats.computeIfAbsent(push.getJsonObject("chat", new JsonObject()).getString("chatId"), Side::new);
          if (!side.begun) {
            side.begun = true;
            sendLine(side, 't');
          }
        }
        case "chat.message" -> {
          Side side = chats.get(chatId);
          if (side == null) {
            stats.error("unexpected.message");
            return;
          }
          if (!received(side, push)) return;
          if (side.peerLines >= messages) end(side);
          else sendLine(side, 't');
        }
        case "chat.ended" -> {
          Side side = chats.remove(chatId);
          if (side == null) {
            stats.error("unexpected.ended");
            return;
          }
          if ("ended".equals(push.getString("reason"))) verify(side, 2 * messages);
          else stats.inc("chatsLeft");
          maybeClaim();
        }
        default -> stats.error("unexpected.push");
      }
    }

    private void end(Side side) {
      pacer.submit(() -> client.request(ChatAddresses.END, new JsonObject().put("chatId", side.chatId))
          .onFailure(e -> stats.error(code(e))));
    }
  }

  @Override
  String progress(Map<String, Long> c, Map<String, Long> perSecond, long errors) {
    return String.format("connected %,d  ready %,d  chats %,d/%,d  msgs/s %,d  errors %,d",
        c.getOrDefault("connected", 0L), c.getOrDefault("studentsReady", 0L), c.getOrDefault("chatsEnded", 0L), students,
        perSecond.getOrDefault("messages", 0L), errors);
  }

  @Override
  JsonObject summarize(Measurements m, JsonObject server) {
    long wall = m.spanMillis("firstConnect", "lastChatEnded");
    long chats = m.counter("chatsEnded");
    long lines = m.counter("messages");
    long lost = m.counter("lost");
    long duplicated = m.counter("duplicated");
    long outOfOrder = m.counter("outOfOrder");
    long unexpected = m.counter("unexpectedSeq");
    long unfinished = students - chats;
    boolean passed = lost == 0 && duplicated == 0 && outOfOrder == 0 && unexpected == 0 && unfinished == 0 && !m.timedOut;
    JsonObject summary = new JsonObject()
        .put("wallTimeMs", wall)
        .put("students", students)
        .put("teachers", teachers)
        .put("chats", chats)
        .put("messages", lines)
        .put("messagesPerSecond", wall > 0 ? Math.round(lines * 1000.0 / wall) : 0)
        .put("chatsPerSecond", wall > 0 ? Math.round(chats * 10_000.0 / wall) / 10.0 : 0)
        .put("connects", m.counter("connects"))
        .put("connectFailures", m.counter("connectFailures"))
        .put("studentsReady", m.counter("studentsReady"))
        .put("claims", m.counter("claims"))
        .put("claimsEmpty", m.counter("claimsEmpty"))
        .put("claimPolls", m.counter("claimPolls"))
        .put("retries429", m.counter("retries"));
    JsonObject correctness = new JsonObject()
        .put("lost", lost)
        .put("duplicated", duplicated)
        .put("outOfOrder", outOfOrder)
        .put("unexpectedSeq", unexpected)
        .put("chatsVerified", m.counter("chatsVerified"))
        .put("chatsEnded", chats)
        .put("chatsUnfinished", unfinished)
        .put("chatsLeft", m.counter("chatsLeft"))
        .put("studentsFailed", m.counter("studentsFailed"))
        .put("teacherChatsOpenAtStop", m.counter("teacherChatsOpen"));
    JsonObject latency = new JsonObject();
    for (String h : List.of("send", "roundTrip", "ack", "connect", "ready", "claim")) {
      latency.put(h, Measurements.percentiles(m.histogram(h)));
    }
    JsonObject definitions = new JsonObject()
        .put("wallTimeMs", "first connect attempt to the last chat.ended received by a student (all processes)")
        .put("messages", "chat lines acknowledged with a seq, both participants")
        .put("send", "writing a tutor.chat.send frame until the sender's own chat.message push with that line arrives")
        .put("roundTrip", "writing a line until the push of the peer's answer to it arrives (includes the peer's turn-around)")
        .put("ack", "writing a tutor.chat.send frame until its {seq} reply arrives")
        .put("connect", "connect attempt until the WebSocket upgrade completed")
        .put("ready", "a student's connect attempt until its tutor.student.ready reply")
        .put("claim", "writing a tutor.teacher.claim frame until its reply")
        .put("lost", "seqs 1..2*messages that a participant of an ended chat never received")
        .put("duplicated", "seqs a participant received more than once")
        .put("outOfOrder", "seqs that arrived after a higher one")
        .put("chatsUnfinished", "students whose chat never ended with reason \"ended\"");
    return new JsonObject().put("summary", summary).put("correctness", correctness).put("latency", latency)
        .put("definitions", definitions).put("passed", passed);
  }

  @Override
  JsonObject charts() {
    return new JsonObject()
        .put("rates", new io.vertx.core.json.JsonArray(List.of("messages", "chatsEnded")))
        .put("levels", new io.vertx.core.json.JsonArray(List.of("connected", "studentsReady", "chatsEnded")))
        .put("latency", new io.vertx.core.json.JsonArray(List.of("send", "roundTrip", "ack")));
  }
}
