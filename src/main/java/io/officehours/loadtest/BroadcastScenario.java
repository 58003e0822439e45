package io.officehours.loadtest;

import io.officehours.roster.RosterAddresses;
import io.officehours.status.StatusAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Fan-out of {@code tutor.status}: N teacher connections register the topic before the clock
 * starts; a publisher (in process 0) holds M student connections and, every {@code --interval},
 * has the next one send {@code tutor.student.ready}. Trigger k makes the queue k longer than at
 * the start, so a push with {@code waiting = w0 + k} (or more, when coalesced) is trigger k's
 * delivery, wherever the subscriber is. Trigger and delivery times are wall-clock microseconds of
 * the same machine, so processes can be compared; the latency of a trigger is the time until its
 * last subscriber (and its first) had the push.
 */
@Command(name = "broadcast", mixinStandardHelpOptions = true, sortOptions = false,
    description = "N subscribers (teachers or admins) on tutor.status; measures trigger -> last subscriber's push over M status changes.")
final class BroadcastScenario extends Scenario implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--subscribers", defaultValue = "1000", description = "Connections on tutor.status (default: ${DEFAULT-VALUE})")
  int subscribers;

  @Option(names = "--subscriber-role", defaultValue = "teacher",
      description = "teacher or admin. Every teacher who connects changes the counts that tutor.status carries, so "
          + "N teachers cost about N status pushes to everyone already subscribed while they connect; admins do not "
          + "change the counts (default: ${DEFAULT-VALUE})")
  String subscriberRole;

  @Option(names = "--rate", defaultValue = "0", description = "Subscriber connections per second over all processes, 0 for all at once (default: ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--messages", defaultValue = "100", description = "Status changes triggered (default: ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--interval", defaultValue = "250", description = "Milliseconds between triggers; the server coalesces status for 50 ms (default: ${DEFAULT-VALUE})")
  int intervalMs;

  @Option(names = "--settle", defaultValue = "3000", description = "Milliseconds to wait for deliveries after the last trigger (default: ${DEFAULT-VALUE})")
  int settleMs;

  private volatile boolean armed;
  private AtomicLongArray count;
  private AtomicLongArray first;
  private AtomicLongArray last;
  private AtomicLongArray triggeredAt;
  private String[] tokens;
  private int mine;
  private boolean publisher;
  private final List<BridgeClient> publishers = new ArrayList<>();
  private final AtomicInteger triggered = new AtomicInteger();
  private volatile long publishedAllAt;
  private long triggerTimer = -1;

  @Override
  public Integer call() {
    if (subscribers < 1 || messages < 1 || intervalMs < 1 || rate < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "need --subscribers, --messages and --interval >= 1, --rate >= 0");
    }
    if (!List.of("teacher", "admin").contains(subscriberRole)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--subscriber-role must be teacher or admin");
    }
    return Driver.run(common, this, spec);
  }

  @Override
  String name() {
    return "broadcast";
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("subscribers", subscribers).put("subscriberRole", subscriberRole).put("rate", rate)
        .put("messages", messages).put("intervalMs", intervalMs);
  }

  @Override
  int connectionsPerTarget(CommonOptions o) {
    int n = o.targets().size();
    return (subscribers + messages + n - 1) / n;
  }

  @Override
  Future<Void> prepare(RunContext ctx) {
    mine = ctx.options.share(subscribers);
    publisher = ctx.options.childIndex == 0;
    count = new AtomicLongArray(messages + 1);
    first = new AtomicLongArray(messages + 1);
    last = new AtomicLongArray(messages + 1);
    triggeredAt = new AtomicLongArray(messages + 1);
    ctx.stats.declare("subscribed", "deliveries", "triggers");
    ctx.stats.declareHistograms("readyAck");
    List<Tokens.User> users = new ArrayList<>();
    for (int k = 0; k < mine; k++) users.add(new Tokens.User(ctx.options.userId("b", k), subscriberRole));
    if (publisher) for (int k = 0; k < messages; k++) users.add(new Tokens.User(ctx.options.userId("pub", k), "student"));
    return Tokens.fetch(ctx.vertx, ctx.options, users).compose(t -> {
      tokens = t;
      List<Future<Void>> ready = new ArrayList<>();
      ready.add(subscribeAll(ctx));
      if (publisher) {
        for (int k = 0; k < messages; k++) {
          int index = k;
          ready.add(ctx.connector.connect(ctx.options.globalIndex(mine + k), tokens[mine + k])
              .compose(c -> c.request(RosterAddresses.ME, new JsonObject()).map(me -> {
                synchronized (publishers) {
                  while (publishers.size() <= index) publishers.add(null);
                  publishers.set(index, c);
                }
                return null;
              })));
        }
      }
      return Future.all(ready).mapEmpty();
    });
  }

  /** Opens this process's subscribers, at once or at its share of {@code --rate}. */
  private Future<Void> subscribeAll(RunContext ctx) {
    List<Future<Void>> all = new ArrayList<>(mine);
    if (rate <= 0) {
      for (int k = 0; k < mine; k++) all.add(subscribe(ctx, k));
      return Future.all(all).mapEmpty();
    }
    double perProcess = Math.max(1e-3, rate / (double) ctx.options.childCount);
    Promise<Void> launchedAll = Promise.promise();
    // the list is only touched on the timer's event loop
    Registration.atRate(ctx.vertx, mine, perProcess, k -> all.add(subscribe(ctx, k)), launchedAll::complete);
    return launchedAll.future().compose(v -> Future.all(all).mapEmpty());
  }

  /** A subscriber is ready once the snapshot that answers its register arrived. */
  private Future<Void> subscribe(RunContext ctx, int k) {
    return ctx.connector.connect(ctx.options.globalIndex(k), tokens[k]).compose(c -> {
      Promise<Void> subscribed = Promise.promise();
      long[] w0 = {-1};
      long[] seen = {0};
      c.register(StatusAddresses.TOPIC, status -> {
        if (subscribed.tryComplete()) ctx.stats.inc("subscribed");
        long waiting = status.getLong("waiting", 0L);
        if (!armed) {
          w0[0] = waiting;
          return;
        }
        long now = EpochClock.micros();
        long upTo = Math.min(messages, waiting - w0[0]);
        for (long j = seen[0] + 1; j <= upTo; j++) {
          int i = (int) j;
          count.incrementAndGet(i);
          first.accumulateAndGet(i, now, (a, b) -> a == 0 ? b : Math.min(a, b));
          last.accumulateAndGet(i, now, Math::max);
          ctx.stats.inc("deliveries");
        }
        seen[0] = Math.max(seen[0], upTo);
      }, e -> subscribed.tryFail(e));
      return subscribed.future();
    });
  }

  @Override
  void start(RunContext ctx) {
    armed = true;
    if (!publisher) return;
    long t0 = System.nanoTime();
    triggerTimer = ctx.vertx.setPeriodic(Math.max(1, intervalMs / 5), t -> {
      int next = triggered.get() + 1;
      if (next > messages) {
        ctx.vertx.cancelTimer(t);
        return;
      }
      if (System.nanoTime() - t0 < (long) next * intervalMs * 1_000_000L) return;
      triggered.set(next);
      BridgeClient c = publishers.get(next - 1);
      long sent = System.nanoTime();
      triggeredAt.set(next, EpochClock.micros());
      ctx.stats.inc("triggers");
      c.request(RosterAddresses.READY, new JsonObject())
          .onSuccess(r -> ctx.stats.recordSince("readyAck", sent))
          .onFailure(e -> ctx.stats.error(Participant.code(e)));
      if (next == messages) publishedAllAt = System.nanoTime();
    });
  }

  @Override
  boolean steady() {
    return true;
  }

  @Override
  boolean selfDone() {
    if (!publisher) return true;
    long at = publishedAllAt;
    if (at == 0) return false;
    if (common.childCount == 1 && allDelivered()) return true;
    return System.nanoTime() - at >= settleMs * 1_000_000L;
  }

  private boolean allDelivered() {
    for (int i = 1; i <= messages; i++) if (count.get(i) < subscribers) return false;
    return true;
  }

  @Override
  Future<Void> stop(RunContext ctx) {
    if (triggerTimer >= 0) ctx.vertx.cancelTimer(triggerTimer);
    return ctx.connector.closeAll();
  }

  @Override
  void addSeries(Measurements m) {
    m.series.put("deliveredCount", new Measurements.Series(Measurements.Op.SUM, toArray(count)));
    m.series.put("firstDeliveryMicros", new Measurements.Series(Measurements.Op.MIN, toArray(first)));
    m.series.put("lastDeliveryMicros", new Measurements.Series(Measurements.Op.MAX, toArray(last)));
    m.series.put("triggeredMicros", new Measurements.Series(Measurements.Op.MAX, toArray(triggeredAt)));
  }

  private static long[] toArray(AtomicLongArray a) {
    long[] out = new long[a.length()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i);
    return out;
  }

  @Override
  String progress(Map<String, Long> c, Map<String, Long> perSecond, long errors) {
    return String.format("connected %,d  subscribed %,d/%,d  triggers %,d/%,d  deliveries/s %,d  errors %,d",
        c.getOrDefault("connected", 0L), c.getOrDefault("subscribed", 0L), subscribers,
        c.getOrDefault("triggers", 0L), messages, perSecond.getOrDefault("deliveries", 0L), errors);
  }

  @Override
  JsonObject summarize(Measurements m, JsonObject server) {
    long[] delivered = values(m, "deliveredCount");
    long[] firsts = values(m, "firstDeliveryMicros");
    long[] lasts = values(m, "lastDeliveryMicros");
    long[] t0 = values(m, "triggeredMicros");
    Histogram lastH = Measurements.newHistogram();
    Histogram firstH = Measurements.newHistogram();
    long missing = 0;
    int complete = 0;
    int triggers = 0;
    JsonArray perTrigger = new JsonArray();
    for (int k = 1; k <= messages; k++) {
      long sent = at(t0, k);
      if (sent == 0) continue;
      triggers++;
      long got = at(delivered, k);
      missing += Math.max(0, subscribers - got);
      if (got >= subscribers) complete++;
      if (got > 0) {
        lastH.recordValue(Math.max(0, at(lasts, k) - sent));
        firstH.recordValue(Math.max(0, at(firsts, k) - sent));
      }
      perTrigger.add(new JsonArray().add(k).add(got).add(got > 0 ? Measurements.ms(at(firsts, k) - sent) : null)
          .add(got > 0 ? Measurements.ms(at(lasts, k) - sent) : null));
    }
    JsonObject summary = new JsonObject()
        .put("subscribers", subscribers)
        .put("subscribed", m.counter("subscribed"))
        .put("triggers", triggers)
        .put("triggersFullyDelivered", complete)
        .put("deliveries", m.counter("deliveries"))
        .put("missingDeliveries", missing)
        .put("lastSubscriberP50Ms", lastH.getTotalCount() > 0 ? Measurements.ms(lastH.getValueAtPercentile(50)) : null)
        .put("lastSubscriberP99Ms", lastH.getTotalCount() > 0 ? Measurements.ms(lastH.getValueAtPercentile(99)) : null)
        .put("perTrigger", perTrigger);
    m.histograms.put("lastSubscriber", lastH);
    m.histograms.put("firstSubscriber", firstH);
    JsonObject latency = new JsonObject()
        .put("lastSubscriber", Measurements.percentiles(lastH))
        .put("firstSubscriber", Measurements.percentiles(firstH))
        .put("readyAck", Measurements.percentiles(m.histogram("readyAck")))
        .put("connect", Measurements.percentiles(m.histogram("connect")));
    JsonObject definitions = new JsonObject()
        .put("lastSubscriber", "writing the trigger's tutor.student.ready frame until the last subscriber had a status push showing it (one value per trigger); includes the server's status coalescing (up to 50 ms)")
        .put("firstSubscriber", "the same, until the first subscriber had it")
        .put("perTrigger", "[k, subscribers reached, first ms, last ms]")
        .put("missingDeliveries", "subscriber x trigger pairs never seen");
    boolean passed = missing == 0 && triggers == messages && !m.timedOut;
    return new JsonObject().put("summary", summary).put("latency", latency).put("definitions", definitions).put("passed", passed);
  }

  private static long[] values(Measurements m, String name) {
    Measurements.Series s = m.series.get(name);
    return s == null ? new long[0] : s.values();
  }

  private static long at(long[] a, int i) {
    return i < a.length ? a[i] : 0;
  }

  @Override
  JsonObject charts() {
    return new JsonObject()
        .put("rates", new JsonArray(List.of("deliveries", "triggers")))
        .put("levels", new JsonArray(List.of("connected", "subscribed")))
        .put("latency", new JsonArray(List.of("readyAck")))
        .put("distributions", new JsonArray(List.of("lastSubscriber", "firstSubscriber")));
  }
}
