package io.officehours.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tokens for the run's users, all obtained before the clock starts: signed here with
 * {@code --jwt-secret} (HS256, claims {@code sub} and {@code role}, 24 h), or asked of the dev
 * endpoint {@code POST /api/token} with a bounded number of requests in flight, spread over the
 * targets.
 */
final class Tokens {

  record User(String id, String role) {}

  private Tokens() {}

  /** Tokens for this process's share of students {@code <prefix>0..count-1}, in that order. */
  static Future<String[]> forStudents(RunContext ctx, String prefix, int count) {
    List<User> users = new java.util.ArrayList<>();
    for (int k = 0; k < count; k++) users.add(new User(ctx.options.userId(prefix, k), "student"));
    return fetch(ctx.vertx, ctx.options, users);
  }

  static Future<String[]> fetch(Vertx vertx, CommonOptions options, List<User> users) {
    if (users.isEmpty()) return Future.succeededFuture(new String[0]);
    if (options.jwtSecret != null) return Future.succeededFuture(sign(vertx, options.jwtSecret, users));
    return request(vertx, options, users);
  }

  static String[] sign(Vertx vertx, String secret, List<User> users) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    JWTOptions jwt = new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(24 * 3600);
    String[] tokens = new String[users.size()];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = auth.generateToken(new JsonObject().put("sub", users.get(i).id()).put("role", users.get(i).role()), jwt);
    }
    return tokens;
  }

  private static Future<String[]> request(Vertx vertx, CommonOptions options, List<User> users) {
    List<CommonOptions.Target> targets = options.targets();
    int workers = Math.max(1, Math.min(options.tokenConcurrency, users.size()));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) options.connectTimeout.toMillis()),
        new PoolOptions().setHttp1MaxSize(Math.max(1, workers / Math.max(1, targets.size()) + 1)));
    String[] tokens = new String[users.size()];
    AtomicInteger next = new AtomicInteger();
    Promise<String[]> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(workers);
    for (int w = 0; w < workers; w++) {
      vertx.runOnContext(v -> work(http, targets, users, tokens, next, running, done));
    }
    // the client is held until every request is answered: Vert.x closes an unreachable client
    return done.future().eventually(() -> http.close());
  }

  private static void work(HttpClient http, List<CommonOptions.Target> targets, List<User> users, String[] tokens,
      AtomicInteger next, AtomicInteger running, Promise<String[]> done) {
    int i = next.getAndIncrement();
    if (i >= users.size() || done.future().isComplete()) {
      if (running.decrementAndGet() == 0) done.tryComplete(tokens);
      return;
    }
    CommonOptions.Target t = targets.get(i % targets.size());
    User u = users.get(i);
    Buffer body = new JsonObject().put("userId", u.id()).put("role", u.role()).toBuffer();
    http.request(HttpMethod.POST, t.port(), t.host(), "/api/token")
        .compose(req -> req.putHeader("content-type", "application/json").send(body))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("POST /api/token on " + t + " answered " + resp.statusCode() + ": " + b
                + " (is dev mode off? pass --jwt-secret)");
          }
          return b.toJsonObject().getString("token");
        }))
        .onSuccess(token -> {
          tokens[i] = token;
          work(http, targets, users, tokens, next, running, done);
        })
        .onFailure(e -> done.tryFail(new IllegalStateException("cannot get a token for " + u.id() + " from " + t + ": " + e.getMessage(), e)));
  }
}
