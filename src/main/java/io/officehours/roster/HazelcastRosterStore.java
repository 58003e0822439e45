package io.officehours.roster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.Serializable;
import java.util.Map;

/**
 * The cluster's roster: one entry of the {@code officehours.roster} map (backup count 1, OBJECT
 * format). Each op is an entry processor: it runs on the partition thread of the entry's owner,
 * one at a time, and then again on the backup, so the backup holds the same roster without the
 * whole state being shipped, and a kill -9 of the owner loses no acknowledged change.
 *
 * <p>When the owner dies after running a change but before answering, Hazelcast runs the change
 * again on the new owner, the old backup, which has applied it already. Each change therefore
 * carries an id, and the roster remembers the outcomes of its last changes by id: the retry gets
 * the first outcome back instead of changing the roster twice (a claim taking a second student
 * while the first stays claimed by nobody, NodeDeathIT).
 */
public final class HazelcastRosterStore implements RosterStore {

  public static final String MAP = "officehours.roster";
  private static final String KEY = "roster";

  private final IMap<String, Roster> map;
  private final int capacity;
  private final Context context;
  /** This store's op ids: a random prefix drawn at every start and a counter. */
  private final String opIdPrefix = Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36) + ":";
  private long opIds;

  public HazelcastRosterStore(IMap<String, Roster> map, int capacity, Context context) {
    this.map = map;
    this.capacity = capacity;
    this.context = context;
  }

  @Override
  public <T extends Serializable> Future<Outcome<T>> run(RosterOp<T> op) {
    EntryProcessor<String, Roster, Outcome<T>> processor = op.readOnly() ? new Reader<>(op, capacity) : new Processor<>(op, capacity, opIdPrefix + (++opIds));
    return Future.succeededFuture().compose(v -> Future.fromCompletionStage(map.submitToKey(KEY, processor), context))
        .compose(outcome -> outcome.failed() ? Future.failedFuture(outcome.failure()) : Future.succeededFuture(outcome));
  }

  record Processor<T extends Serializable>(RosterOp<T> op, int capacity, String opId)
      implements EntryProcessor<String, Roster, Outcome<T>> {
    @Override
    @SuppressWarnings("unchecked")
    public Outcome<T> process(Map.Entry<String, Roster> entry) {
      Roster roster = entry.getValue() != null ? entry.getValue() : new Roster(capacity);
      Outcome<T> ranAlready = (Outcome<T>) roster.outcomeOf(opId);
      if (ranAlready != null) return ranAlready;
      Outcome<T> outcome = Outcome.run(roster, op);
      roster.remember(opId, outcome);
      entry.setValue(roster);
      return outcome;
    }
  }

  /** A read runs on the owner only: {@link ReadOnly} tells Hazelcast to skip the backup and the write. */
  private record Reader<T extends Serializable>(RosterOp<T> op, int capacity)
      implements EntryProcessor<String, Roster, Outcome<T>>, ReadOnly {
    @Override
    public Outcome<T> process(Map.Entry<String, Roster> entry) {
      return Outcome.run(entry.getValue() != null ? entry.getValue() : new Roster(capacity), op);
    }

    @Override
    public EntryProcessor<String, Roster, Outcome<T>> getBackupProcessor() {
      return null;
    }
  }
}
