package io.officehours.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The command line of a node. Each option can also come from the environment variable
 * {@code OFFICEHOURS_<NAME>} (for {@code --jwt-secret}: {@code OFFICEHOURS_JWT_SECRET}) or from the
 * JSON file named by {@code --config} (key {@code "jwt-secret"}); the command line wins over the
 * environment, which wins over the file.
 */
@Command(name = "officehours", mixinStandardHelpOptions = true, version = "officehours 0.1.0",
    description = "Runs one Office Hours node: the live-tutoring chat server.",
    sortOptions = false)
public final class ServerCommand implements Callable<Config> {

  @Option(names = "--config", paramLabel = "FILE", description = "JSON file of settings (keys: option names)")
  Path configFile;

  @Option(names = "--node-id", description = "Name of this node in logs and presence (default: node-<port>)")
  String nodeId;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Interface to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--dev", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Dev mode: POST /api/token issues tokens (default: ${DEFAULT-VALUE})")
  boolean dev;

  @Option(names = "--jwt-secret", description = "HS256 key for tokens (dev mode has a built-in one)")
  String jwtSecret;

  @Option(names = "--token-ttl", defaultValue = "12h", converter = DurationConverter.class,
      description = "Lifetime of dev tokens (default: ${DEFAULT-VALUE})")
  Duration tokenTtl;

  @Option(names = "--ping-timeout", defaultValue = "60s", converter = DurationConverter.class,
      description = "Close a socket silent this long (default: ${DEFAULT-VALUE})")
  Duration pingTimeout;

  @Option(names = "--request-timeout", defaultValue = "5s", converter = DurationConverter.class,
      description = "Answer 503 when a service takes longer (default: ${DEFAULT-VALUE})")
  Duration requestTimeout;

  @Option(names = "--grace", defaultValue = "10s", converter = DurationConverter.class,
      description = "Keep a disconnected user's queue place and chats this long (default: ${DEFAULT-VALUE})")
  Duration grace;

  @Option(names = "--max-text", defaultValue = "4000", description = "Longest chat message in characters (default: ${DEFAULT-VALUE})")
  int maxTextLength;

  @Option(names = "--max-frame", defaultValue = "65536", description = "Largest client frame in bytes (default: ${DEFAULT-VALUE})")
  int maxFrameBytes;

  @Option(names = "--max-address", defaultValue = "256", description = "Longest address in a frame (default: ${DEFAULT-VALUE})")
  int maxAddressLength;

  @Option(names = "--max-registrations", defaultValue = "32", description = "Registrations per socket (default: ${DEFAULT-VALUE})")
  int maxRegistrations;

  @Option(names = "--rate-burst", defaultValue = "2000", description = "Frames a socket may send in a burst (default: ${DEFAULT-VALUE})")
  int rateBurst;

  @Option(names = "--rate", defaultValue = "1000", description = "Sustained frames per second per socket (default: ${DEFAULT-VALUE})")
  int ratePerSecond;

  @Option(names = "--capacity", defaultValue = "5", description = "Open chats per teacher (default: ${DEFAULT-VALUE})")
  int capacity;

  @Option(names = "--gateways", description = "Gateway verticle instances (default: one per two cores, at least one)")
  Integer gatewayInstances;

  @Option(names = "--event-loops", description = "Vert.x event-loop threads (default: one per gateway instance)")
  Integer eventLoops;

  @Option(names = "--log-level", defaultValue = "info", description = "Root log level (default: ${DEFAULT-VALUE})")
  String logLevel;

  @Option(names = "--cluster", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Join a Hazelcast cluster (default: ${DEFAULT-VALUE})")
  boolean cluster;

  @Option(names = "--cluster-name", defaultValue = "officehours", description = "Cluster name (default: ${DEFAULT-VALUE})")
  String clusterName;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
      description = "Interface for Hazelcast and the event bus (default: ${DEFAULT-VALUE})")
  String clusterHost;

  @Option(names = "--cluster-port", defaultValue = "5701", description = "Hazelcast port (default: ${DEFAULT-VALUE})")
  int clusterPort;

  @Option(names = "--cluster-members", defaultValue = "127.0.0.1", split = ",",
      description = "Members to join, host or host:port, comma-separated (default: ${DEFAULT-VALUE})")
  java.util.List<String> clusterMembers;

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "Hazelcast XML (default: ./cluster.xml, else the one in the jar)")
  Path clusterConfig;

  @Option(names = "--eventbus-port", defaultValue = "0",
      description = "Port of the clustered event bus, 0 for any free one; pin it behind a firewall (default: ${DEFAULT-VALUE})")
  int eventBusPort;

  @Option(names = "--redis", paramLabel = "URL",
      description = "Keep chats in Redis, e.g. redis://127.0.0.1:6379 (default: in memory, in Hazelcast when clustered)")
  String redis;

  @Option(names = "--redis-timeout", defaultValue = "2s", converter = DurationConverter.class,
      description = "Fail a chat-store call with 503 after this long (default: ${DEFAULT-VALUE})")
  Duration redisTimeout;

  @Option(names = "--redis-pool", defaultValue = "16", description = "Connections to Redis per node (default: ${DEFAULT-VALUE})")
  int redisPool;

  @Option(names = "--chat-retention", defaultValue = "7d", converter = DurationConverter.class,
      description = "How long Redis keeps an ended chat readable (default: ${DEFAULT-VALUE})")
  Duration chatRetention;

  @Option(names = "--eventbus-metrics", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Per-address event-bus meters in /metrics; they cost a lookup per message, so keep them for debugging (default: ${DEFAULT-VALUE})")
  boolean eventBusMetrics;

  @Option(names = "--http-metrics", negatable = true, defaultValue = "false", fallbackValue = "true",
      description = "Vert.x's HTTP and TCP server meters in /metrics; they record bytes on every socket read and write (default: ${DEFAULT-VALUE})")
  boolean httpMetrics;

  @Option(names = "--straight-path", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "One node, chats in memory: the gateway writes, answers and pushes a chat line itself, with no event-bus hop (default: ${DEFAULT-VALUE})")
  boolean straightPath;

  private int gateways() {
    // half the cores: a chat line whose two participants sit on different gateways costs a
    // wake-up of the other's event loop, and the kernel's network work, the JIT and the GC need
    // cores too (docs/benchmarks.md: one gateway on two cores costs 15-20 % less per line than two)
    return gatewayInstances != null ? gatewayInstances : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  @Override
  public Config call() {
    return new Config(
        nodeId != null ? nodeId : "node-" + port,
        host, port, dev,
        jwtSecret != null ? jwtSecret : (dev ? Config.DEV_SECRET : null),
        tokenTtl, pingTimeout, requestTimeout, grace,
        maxTextLength, maxFrameBytes, maxAddressLength, maxRegistrations, rateBurst, ratePerSecond,
        capacity,
        gateways(),
        eventLoops != null ? eventLoops : gateways(),
        logLevel, cluster, clusterName, clusterHost, clusterPort, clusterMembers, clusterConfig, eventBusPort,
        redis, redisTimeout, redisPool, chatRetention, eventBusMetrics, httpMetrics, straightPath);
  }

  /**
   * Parses a command line (with the environment given) into a config; throws
   * {@link CommandLine.ParameterException} with a readable message on bad input.
   */
  public static Config parse(Map<String, String> env, String... args) {
    ServerCommand command = new ServerCommand();
    CommandLine cli = commandLine(command, env, args);
    // callers that add defaults of their own (tests) let a later flag win
    cli.setOverwrittenOptionsAllowed(true);
    cli.parseArgs(args);
    return command.call();
  }

  public static CommandLine commandLine(ServerCommand command, Map<String, String> env, String... args) {
    CommandLine cli = new CommandLine(command);
    cli.setDefaultValueProvider(new EnvAndFileDefaults(env, fileSettings(env, args)));
    return cli;
  }

  private static JsonObject fileSettings(Map<String, String> env, String... args) {
    String path = env.get("OFFICEHOURS_CONFIG");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) path = args[i + 1];
      else if (args[i].startsWith("--config=")) path = args[i].substring("--config=".length());
    }
    if (path == null) return new JsonObject();
    JsonObject settings;
    try {
      settings = new JsonObject(Files.readString(Path.of(path)));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage(), e);
    }
    java.util.Set<String> known = new java.util.HashSet<>();
    new CommandLine(new ServerCommand()).getCommandSpec().options()
        .forEach(o -> known.add(o.longestName().replaceFirst("^--", "")));
    for (String key : settings.fieldNames()) {
      if (!known.contains(key)) throw new IllegalArgumentException("unknown setting '" + key + "' in " + path);
    }
    return settings;
  }

  /** Environment first, then the config file; picocli falls back to the annotation's default. */
  private record EnvAndFileDefaults(Map<String, String> env, JsonObject file)
      implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (!(argSpec instanceof OptionSpec option)) return null;
      String key = option.longestName().replaceFirst("^--", "");
      String fromEnv = env.get("OFFICEHOURS_" + key.replace('-', '_').toUpperCase(Locale.ROOT));
      if (fromEnv != null) return fromEnv;
      Object fromFile = file.getValue(key);
      return fromFile != null ? String.valueOf(fromFile) : option.defaultValue();
    }
  }

  /** Reads {@code 500ms}, {@code 60s}, {@code 10m}, {@code 12h}, {@code 7d}, or ISO-8601 ({@code PT1M}). */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) return Duration.parse(v.toUpperCase(Locale.ROOT));
      if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      long amount = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new CommandLine.TypeConversionException("not a duration: " + value);
      };
    }
  }
}
