package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A bounded wait for an event that must come soon, failing with a plain message instead of the test's timeout. */
final class Waits {
  private Waits() {}

  static <T> T within(Future<T> future, long seconds, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail(what + " did not come within " + seconds + " s");
    } catch (ExecutionException e) {
      return fail(what + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
