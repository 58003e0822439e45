package io.officehours.store;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Hazelcast's factory for the store's objects that write themselves ({@link IdentifiedDataSerializable}). */
public final class StoreSerialization implements DataSerializableFactory {

  /** Registered in every node's Hazelcast config (see {@code HazelcastSettings}). */
  public static final int FACTORY_ID = 1701;
  static final int APPEND_BATCH = 1;

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return typeId == APPEND_BATCH ? new AppendBatch() : null;
  }
}
