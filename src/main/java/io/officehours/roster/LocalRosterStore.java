package io.officehours.roster;

import io.vertx.core.Future;
import java.io.Serializable;

/** The single-node roster: plain state in the heap of the verticle that owns this store. */
public final class LocalRosterStore implements RosterStore {

  private final Roster roster;

  public LocalRosterStore(int capacity) {
    this.roster = new Roster(capacity);
  }

  @Override
  public <T extends Serializable> Future<Outcome<T>> run(RosterOp<T> op) {
    Outcome<T> outcome = Outcome.run(roster, op);
    return outcome.failed() ? Future.failedFuture(outcome.failure()) : Future.succeededFuture(outcome);
  }
}
