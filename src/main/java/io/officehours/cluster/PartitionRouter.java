package io.officehours.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import io.officehours.chat.ChatRouter;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A chat is handled by the member that owns its partition in the cluster's chat map. A chat id is
 * {@code <uuid>@<home>}: the map places it by its home (Hazelcast's {@link StringPartitioningStrategy},
 * set on the map by {@link HazelcastSettings}), and every chat a node opens gets that node's home,
 * a key drawn once until this node owns its partition. So a node's chats start in one partition of
 * its own, where the store appends the lines of all of them in one operation (see
 * {@code HazelcastChatStore}), and the teacher's lines never cross the network. A migration moves
 * a home's chats with their partition; the node then draws a new home for the chats it opens next.
 */
final class PartitionRouter implements ChatRouter {

  /** A handful of draws on a few nodes; after this many the chats simply start elsewhere. */
  private static final int DRAWS = 256;

  private final HazelcastInstance hz;
  private final String self;
  private volatile String home;

  PartitionRouter(HazelcastInstance hz, String self) {
    this.hz = hz;
    this.self = self;
  }

  @Override
  public String ownerOf(String chatId) {
    Member owner = hz.getPartitionService().getPartition(StringPartitioningStrategy.getPartitionKey(chatId)).getOwner();
    return owner == null ? null : ClusterNode.nodeIdOf(owner);
  }

  @Override
  public String newChatId() {
    String h = home;
    if (h == null || !self.equals(ownerOf(h))) home = h = drawHome();
    return UUID.randomUUID() + "@" + h;
  }

  private String drawHome() {
    String candidate = null;
    for (int i = 0; i < DRAWS; i++) {
      candidate = "h" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
      if (self.equals(ownerOf(candidate))) return candidate;
    }
    return candidate;
  }
}
