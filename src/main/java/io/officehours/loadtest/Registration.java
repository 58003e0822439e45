package io.officehours.loadtest;

import io.officehours.push.InboxAddresses;
import io.officehours.roster.RosterAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.IntConsumer;

/** What the idle, arrival and broadcast scenarios share: opening clients, and at what pace. */
final class Registration {

  private Registration() {}

  /**
   * Connects client {@code k}, registers its inbox and asks {@code tutor.me}: "connected and
   * registered". Counts {@code registered} (time since {@code started} in {@code histogram}) or
   * {@code registerFailures} with the error's code; completes once the attempt is over, either way.
   */
  static Future<Void> connectAndRegister(RunContext ctx, int k, String userId, String token, String histogram, long started) {
    return ctx.connector.connect(ctx.options.globalIndex(k), token)
        .compose(c -> {
          c.register(InboxAddresses.inbox(userId), p -> { }, e -> ctx.stats.error("register." + e.code()));
          return c.request(RosterAddresses.ME, new JsonObject()).onComplete(ar -> {
            if (ar.succeeded()) {
              ctx.stats.inc("registered");
              ctx.stats.recordSince(histogram, started);
              ctx.stats.markLast("lastRegistered", EpochClock.millis());
            } else {
              ctx.stats.inc("registerFailures");
              ctx.stats.error(Participant.code(ar.cause()));
            }
          });
        })
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /**
   * Calls {@code launch} for 0 to {@code count - 1}, {@code perSecond} per second (0: all at once),
   * from one periodic timer, so the launches happen on one event loop; runs {@code onAll} after the
   * last. Returns the timer, for a scenario that stops early.
   */
  static long atRate(Vertx vertx, int count, double perSecond, IntConsumer launch, Runnable onAll) {
    long started = System.nanoTime();
    int[] launched = {0};
    return vertx.setPeriodic(10, t -> {
      long due = perSecond <= 0 ? count : Math.min(count, 1 + (long) ((System.nanoTime() - started) / 1e9 * perSecond));
      while (launched[0] < due) launch.accept(launched[0]++);
      if (launched[0] >= count) {
        vertx.cancelTimer(t);
        onAll.run();
      }
    });
  }
}
