package io.officehours.common;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure codes of the client contract. A service fails a future with {@link #of}; the
 * message handler turns it into {@code message.fail(code, text)}, and the gateway turns that into
 * an {@code err} frame with the same {@code failureCode}.
 */
public final class Failure {
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHENTICATED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int TOO_LARGE = 413;
  public static final int TOO_MANY = 429;
  public static final int UNAVAILABLE = 503;

  private Failure() {}

  public static ReplyException of(int code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }

  /** The contract code of any failure: ours, a timeout or missing handler (503), or a bug (503). */
  public static int codeOf(Throwable t) {
    if (t instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> isContractCode(re.failureCode()) ? re.failureCode() : UNAVAILABLE;
        case TIMEOUT, NO_HANDLERS, ERROR -> UNAVAILABLE;
      };
    }
    return UNAVAILABLE;
  }

  /** Plain words for the client; internal exceptions are not shown. */
  public static String messageOf(Throwable t) {
    if (t instanceof ReplyException re) {
      return switch (re.failureType()) {
        case RECIPIENT_FAILURE -> isContractCode(re.failureCode()) ? re.getMessage() : "internal error";
        case TIMEOUT -> "the service did not answer in time";
        case NO_HANDLERS -> "the service is not available";
        case ERROR -> "the service failed";
      };
    }
    return "internal error";
  }

  public static boolean isContractCode(int code) {
    return switch (code) {
      case BAD_REQUEST, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, TOO_LARGE, TOO_MANY, UNAVAILABLE -> true;
      default -> false;
    };
  }

  /** Answers a request with the failure's contract code and message. */
  public static void reply(Message<?> message, Throwable t) {
    message.fail(codeOf(t), messageOf(t));
  }
}
