package io.officehours.common;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Answers an event-bus request from a Future-returning handler: the result becomes the reply, a
 * contract failure becomes {@code fail(code, message)}, and anything else (a bug) is logged and
 * answered with 503, so a crashing handler costs one request, never the verticle.
 */
public final class Serve {
  private Serve() {}

  public static void answer(Message<Object> message, Function<Message<Object>, Future<JsonObject>> handler, Logger log) {
    Future<JsonObject> result;
    try {
      result = handler.apply(message);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        if (Failure.codeOf(ar.cause()) == Failure.UNAVAILABLE) {
          log.warn("{} failed: {}", message.address(), ar.cause().toString(), ar.cause());
        }
        Failure.reply(message, ar.cause());
      }
    });
  }
}
