package io.officehours.loadtest;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One context on each event loop of a Vert.x instance. Connections opened from a context live on
 * its event loop; asking from the driver's thread ({@code getOrCreateContext}) would put them all on
 * one loop, so a connection storm would be handshaken by one thread. Instances of a trivial verticle
 * are placed on the event loops round-robin: their contexts are the spread.
 */
final class EventLoops {
  private EventLoops() {}

  static List<Context> contexts(Vertx vertx) {
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    List<Context> contexts = new ArrayList<>();
    Future<String> deployed = vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        synchronized (contexts) {
          contexts.add(context);
        }
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(loops));
    try {
      deployed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot place contexts on the event loops: " + e, e);
    }
    synchronized (contexts) {
      return List.copyOf(contexts);
    }
  }
}
