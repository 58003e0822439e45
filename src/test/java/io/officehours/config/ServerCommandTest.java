package io.officehours.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("The command line, environment and config file make one Config")
class ServerCommandTest {

  @Test
  @DisplayName("defaults: port 8080, dev mode on with the built-in secret, 60 s ping timeout")
  void defaults() {
    Config c = ServerCommand.parse(Map.of());
    assertEquals(8080, c.port());
    assertTrue(c.dev());
    assertEquals(Config.DEV_SECRET, c.jwtSecret());
    assertEquals(Duration.ofSeconds(60), c.pingTimeout());
    assertEquals(5, c.capacity());
    assertEquals("node-8080", c.nodeId());
    assertTrue(c.straightPath());
    assertFalse(c.eventBusMetrics());
    assertFalse(c.httpMetrics());
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), c.gatewayInstances());
    assertEquals(c.gatewayInstances(), c.eventLoops());
  }

  @Test
  @DisplayName("event loops: one per gateway instance unless set; fewer than one is refused")
  void eventLoops() {
    assertEquals(7, ServerCommand.parse(Map.of(), "--gateways", "7").eventLoops());
    assertEquals(3, ServerCommand.parse(Map.of(), "--gateways", "7", "--event-loops", "3").eventLoops());
    assertThrows(IllegalArgumentException.class, () -> ServerCommand.parse(Map.of(), "--event-loops", "0"));
  }

  @Test
  @DisplayName("flags win over OFFICEHOURS_* variables, which win over the config file")
  void precedence(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("oh.json");
    Files.writeString(file, "{\"port\": 7000, \"capacity\": 3, \"ping-timeout\": \"30s\"}");
    Config fromFile = ServerCommand.parse(Map.of(), "--config", file.toString());
    assertEquals(7000, fromFile.port());
    assertEquals(3, fromFile.capacity());
    assertEquals(Duration.ofSeconds(30), fromFile.pingTimeout());
    Config fromEnv = ServerCommand.parse(Map.of("OFFICEHOURS_PORT", "7100", "OFFICEHOURS_CONFIG", file.toString()));
    assertEquals(7100, fromEnv.port());
    assertEquals(3, fromEnv.capacity());
    Config fromFlag = ServerCommand.parse(Map.of("OFFICEHOURS_PORT", "7100"), "--port", "7200", "--config", file.toString());
    assertEquals(7200, fromFlag.port());
  }

  @Test
  @DisplayName("--no-dev needs a real secret, from a flag or OFFICEHOURS_JWT_SECRET")
  void productionNeedsSecret() {
    assertThrows(IllegalArgumentException.class, () -> ServerCommand.parse(Map.of(), "--no-dev"));
    Config c = ServerCommand.parse(Map.of("OFFICEHOURS_JWT_SECRET", "s3cret"), "--no-dev");
    assertFalse(c.dev());
    assertEquals("s3cret", c.jwtSecret());
    Config dev = ServerCommand.parse(Map.of("OFFICEHOURS_DEV", "false", "OFFICEHOURS_JWT_SECRET", "k"));
    assertFalse(dev.dev());
  }

  @Test
  @DisplayName("durations read as 500ms, 10s, 2m, 1h or ISO-8601; nonsense is refused")
  void durations() {
    assertEquals(Duration.ofMillis(500), ServerCommand.parse(Map.of(), "--ping-timeout", "500ms").pingTimeout());
    assertEquals(Duration.ofMinutes(2), ServerCommand.parse(Map.of(), "--ping-timeout", "2m").pingTimeout());
    assertEquals(Duration.ofSeconds(90), ServerCommand.parse(Map.of(), "--ping-timeout", "PT90S").pingTimeout());
    assertThrows(CommandLine.ParameterException.class, () -> ServerCommand.parse(Map.of(), "--ping-timeout", "soon"));
    assertThrows(CommandLine.ParameterException.class, () -> ServerCommand.parse(Map.of(), "--port", "http"));
  }
}
