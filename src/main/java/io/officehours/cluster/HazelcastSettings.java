package io.officehours.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.PartitioningStrategyConfig;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import io.officehours.store.HazelcastChatStore;
import io.officehours.store.StoreSerialization;
import com.hazelcast.config.XmlConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast config of a node: the cluster.xml named by {@code --cluster-config}, else
 * {@code ./cluster.xml}, else the copy bundled in the jar; then the node's own flags on top (cluster
 * name, port, bind interface, member list), so one file serves every node of a deployment.
 */
public final class HazelcastSettings {

  private HazelcastSettings() {}

  public static Config of(io.officehours.config.Config node) {
    Config hz = load(node.clusterConfig());
    hz.setClusterName(node.clusterName());
    hz.setInstanceName("officehours-" + node.nodeId());
    // bind and advertise exactly this address: nothing may assume loopback or guess an interface
    hz.setProperty("hazelcast.local.localAddress", node.clusterHost());
    hz.setProperty("hazelcast.socket.bind.any", "false");
    threadsPerCores(hz, Runtime.getRuntime().availableProcessors());
    chatsByHome(hz);
    hz.getSerializationConfig().addDataSerializableFactory(StoreSerialization.FACTORY_ID, new StoreSerialization());
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(node.clusterPort()).setPortAutoIncrement(false);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getTcpIpConfig().setEnabled(true).setMembers(node.clusterMembers());
    return hz;
  }

  /**
   * Hazelcast's thread pools sized like the node's event loops, to half the cores, unless the XML
   * or a {@code -Dhazelcast...} property says otherwise. Its own defaults (a partition thread per
   * core, three I/O threads each way, two generic and two response threads) put a dozen busy
   * threads on a small node, and on two cores they cost more in hand-offs and wake-ups than they
   * add (docs/benchmarks.md: 3 nodes 43-45 CPU-s -> 34 for the classic run).
   */
  static void threadsPerCores(Config hz, int cores) {
    int half = Math.max(1, cores / 2);
    int quarter = Math.max(1, Math.min(2, cores / 4));
    setUnlessGiven(hz, "hazelcast.operation.thread.count", half);
    setUnlessGiven(hz, "hazelcast.io.thread.count", Math.min(3, half));
    setUnlessGiven(hz, "hazelcast.operation.generic.thread.count", quarter);
    setUnlessGiven(hz, "hazelcast.response.thread.count", quarter);
  }

  /**
   * The chat map places a chat id {@code <uuid>@<home>} by its home (see {@code PartitionRouter}),
   * unless the XML names another strategy. Every node must agree: a node without it would look a
   * chat up in another partition.
   */
  static void chatsByHome(Config hz) {
    MapConfig chats = hz.getMapConfig(HazelcastChatStore.MAP);
    PartitioningStrategyConfig strategy = chats.getPartitioningStrategyConfig();
    if (strategy == null || strategy.getPartitioningStrategyClass() == null && strategy.getPartitioningStrategy() == null) {
      chats.setPartitioningStrategyConfig(new PartitioningStrategyConfig(StringPartitioningStrategy.class.getName()));
    }
  }

  private static void setUnlessGiven(Config hz, String name, int value) {
    if (hz.getProperty(name) == null && System.getProperty(name) == null) hz.setProperty(name, String.valueOf(value));
  }

  private static Config load(Path explicit) {
    try {
      if (explicit != null) return new XmlConfigBuilder(explicit.toString()).build();
      Path local = Path.of("cluster.xml");
      if (Files.isRegularFile(local)) return new XmlConfigBuilder(local.toString()).build();
      try (InputStream bundled = HazelcastSettings.class.getResourceAsStream("/cluster.xml")) {
        if (bundled == null) throw new IllegalStateException("cluster.xml is missing from the jar");
        return new XmlConfigBuilder(bundled).build();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Hazelcast config", e);
    }
  }
}
