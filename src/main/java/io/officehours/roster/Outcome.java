package io.officehours.roster;

import io.officehours.common.Failure;
import io.vertx.core.eventbus.ReplyException;
import java.io.Serializable;
import java.util.HashMap;

/**
 * What running a {@link RosterOp} gave: its value or its contract failure, and the roster's counts
 * and the touched users' statuses right after it, so the caller can tell status and presence
 * without a second round trip.
 */
public record Outcome<T extends Serializable>(T value, int failureCode, String failureMessage,
    int waiting, int chats, long version, HashMap<String, String> statuses) implements Serializable {

  static <T extends Serializable> Outcome<T> run(Roster roster, RosterOp<T> op) {
    T value = null;
    int code = 0;
    String message = null;
    try {
      value = op.apply(roster);
    } catch (ReplyException e) {
      code = e.failureCode();
      message = e.getMessage();
    }
    HashMap<String, String> statuses = new HashMap<>();
    if (code == 0) op.touched(value).forEach(u -> statuses.put(u, roster.status(u)));
    return new Outcome<>(value, code, message, roster.waiting(), roster.openChats(),
        op.readOnly() ? roster.version() : roster.bump(), statuses);
  }

  public boolean failed() {
    return failureCode != 0;
  }

  public ReplyException failure() {
    return Failure.of(failureCode, failureMessage);
  }
}
