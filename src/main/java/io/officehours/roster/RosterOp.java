package io.officehours.roster;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;

/**
 * One change to (or read of) the {@link Roster}. Ops are serializable and deterministic because in
 * a cluster they travel to the node that owns the roster and run there and again on its backup.
 *
 * @param <T> what the op returns
 */
public interface RosterOp<T extends Serializable> extends Serializable {

  T apply(Roster roster);

  /** A read: it changes nothing, so in a cluster it skips the backup. */
  default boolean readOnly() {
    return false;
  }

  /** Users whose presence status the op may have changed. */
  default Collection<String> touched(T result) {
    return List.of();
  }
}
