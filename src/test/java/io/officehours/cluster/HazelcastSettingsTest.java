package io.officehours.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.config.Config;
import com.hazelcast.config.PartitioningStrategyConfig;
import com.hazelcast.partition.strategy.StringPartitioningStrategy;
import io.officehours.store.HazelcastChatStore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Hazelcast settings: thread pools follow the cores, chats are placed by home, unless the config says otherwise")
class HazelcastSettingsTest {

  @Test
  @DisplayName("two cores: one thread of each kind; sixteen: eight partition threads, three I/O each way, two generic and two response")
  void sizedByCores() {
    Config small = new Config();
    HazelcastSettings.threadsPerCores(small, 2);
    assertThreads(small, "1", "1", "1", "1");
    Config large = new Config();
    HazelcastSettings.threadsPerCores(large, 16);
    assertThreads(large, "8", "3", "2", "2");
  }

  private static void assertThreads(Config hz, String operation, String io, String generic, String response) {
    assertEquals(operation, hz.getProperty("hazelcast.operation.thread.count"));
    assertEquals(io, hz.getProperty("hazelcast.io.thread.count"));
    assertEquals(generic, hz.getProperty("hazelcast.operation.generic.thread.count"));
    assertEquals(response, hz.getProperty("hazelcast.response.thread.count"));
  }

  @Test
  @DisplayName("a count set in cluster.xml is kept")
  void explicitKept() {
    Config hz = new Config().setProperty("hazelcast.operation.thread.count", "6");
    HazelcastSettings.threadsPerCores(hz, 2);
    assertEquals("6", hz.getProperty("hazelcast.operation.thread.count"));
    assertEquals("1", hz.getProperty("hazelcast.io.thread.count"));
  }

  @Test
  @DisplayName("the chat map places <uuid>@<home> by its home, unless the XML names another strategy")
  void chatsPlacedByHome() {
    Config hz = new Config();
    HazelcastSettings.chatsByHome(hz);
    assertEquals(StringPartitioningStrategy.class.getName(),
        hz.getMapConfig(HazelcastChatStore.MAP).getPartitioningStrategyConfig().getPartitioningStrategyClass());
    Config own = new Config();
    own.getMapConfig(HazelcastChatStore.MAP).setPartitioningStrategyConfig(new PartitioningStrategyConfig("com.example.Mine"));
    HazelcastSettings.chatsByHome(own);
    assertEquals("com.example.Mine", own.getMapConfig(HazelcastChatStore.MAP).getPartitioningStrategyConfig().getPartitioningStrategyClass());
  }
}
