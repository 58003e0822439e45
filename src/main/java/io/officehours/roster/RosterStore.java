package io.officehours.roster;

import io.vertx.core.Future;
import java.io.Serializable;

/**
 * Where the {@link Roster} lives: in the roster verticle's heap on a single node, or in one
 * Hazelcast entry (with a backup) in a cluster. Every op runs atomically against the one roster of
 * the deployment, so concurrent claims on different nodes are serialized.
 */
public interface RosterStore {

  /** Runs an op; a contract failure of the op fails the future with its code. */
  <T extends Serializable> Future<Outcome<T>> run(RosterOp<T> op);
}
