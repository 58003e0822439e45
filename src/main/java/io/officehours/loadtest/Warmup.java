package io.officehours.loadtest;

import io.officehours.push.InboxAddresses;
import io.officehours.roster.RosterAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the clock: a few connections that register, make one request and close, so that the
 * generator's own code is compiled before it measures anything (on this 2-core machine a cold
 * client otherwise adds a second or more to the first connects). Counted nowhere in the result.
 */
final class Warmup {
  private Warmup() {}

  static Future<Void> run(RunContext ctx, int connections) {
    if (connections <= 0) return Future.succeededFuture();
    Stats scratch = new Stats();
    Connector connector = new Connector(ctx.vertx, scratch, ctx.options, connections);
    List<Tokens.User> users = new ArrayList<>();
    for (int k = 0; k < connections; k++) users.add(new Tokens.User(ctx.options.userId("w", k), "student"));
    return Tokens.fetch(ctx.vertx, ctx.options, users).compose(tokens -> {
      List<Future<Void>> all = new ArrayList<>();
      for (int k = 0; k < connections; k++) {
        String inbox = InboxAddresses.inbox(users.get(k).id());
        all.add(connector.connect(ctx.options.globalIndex(k), tokens[k]).compose(c -> {
          c.register(inbox, p -> { });
          return c.request(RosterAddresses.ME, new JsonObject()).compose(me -> connector.close(c));
        }));
      }
      return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
    }).eventually(connector::closeAll);
  }
}
