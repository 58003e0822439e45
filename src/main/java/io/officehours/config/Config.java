package io.officehours.config;

import java.time.Duration;

/**
 * Every setting of a node, read once at start-up (CLI flags over {@code OFFICEHOURS_*} environment
 * variables over the {@code --config} file over defaults) and handed to each verticle.
 *
 * @param nodeId            name of this node in logs and presence metas
 * @param host              interface the HTTP server binds to
 * @param port              HTTP port; 0 picks a free one (tests)
 * @param dev               dev mode: {@code POST /api/token} hands out tokens to anyone
 * @param jwtSecret         HS256 key that signs and verifies tokens
 * @param tokenTtl          lifetime of dev tokens
 * @param pingTimeout       a socket silent this long is closed
 * @param requestTimeout    how long the gateway waits for a service before answering 503
 * @param grace             how long a user whose last connection closed keeps its queue place and chats
 * @param maxTextLength     longest chat message, in characters (413 above)
 * @param maxFrameBytes     largest client frame, in bytes (refused above)
 * @param maxAddressLength  longest address a frame may name
 * @param maxRegistrations  registrations one socket may hold at once
 * @param rateBurst         frames a socket may send in a burst before 429
 * @param ratePerSecond     sustained frames per second a socket may send
 * @param capacity          open chats a teacher may hold
 * @param gatewayInstances  gateway verticle instances (one per two cores by default)
 * @param eventLoops        Vert.x event-loop threads (one per gateway by default; Vert.x's own default is two per core)
 * @param logLevel          root log level
 * @param cluster           join a Hazelcast cluster (clustered event bus, replicated roster and chats)
 * @param clusterName       name of the cluster: nodes with another name never join it
 * @param clusterHost       interface Hazelcast and the event bus bind to, and advertise
 * @param clusterPort       Hazelcast port
 * @param clusterMembers    other members to contact, host or host:port
 * @param clusterConfig     Hazelcast XML to start from (null: ./cluster.xml, else the bundled one)
 * @param eventBusPort      port of the clustered event bus (0: any free port)
 * @param redis             Redis URL of the chat store; null keeps chats in memory (in Hazelcast when clustered)
 * @param redisTimeout      longest wait for the Redis chat store; past it the request fails with 503
 * @param redisPool         connections from this node to Redis
 * @param chatRetention     how long Redis keeps an ended chat readable
 * @param eventBusMetrics   keep Vert.x's per-address event-bus meters (off: they cost a meter
 *                          lookup per message on the hot path; on for debugging)
 * @param httpMetrics       keep Vert.x's HTTP and TCP server meters (off: they record bytes on every
 *                          socket read and write)
 * @param straightPath      on a node that is not clustered and keeps chats in memory, a chat line
 *                          is written, answered and pushed by the gateway instance that read it
 *                          (off: it goes over the event bus to the chat verticle, as in a cluster)
 */
public record Config(
    String nodeId,
    String host,
    int port,
    boolean dev,
    String jwtSecret,
    Duration tokenTtl,
    Duration pingTimeout,
    Duration requestTimeout,
    Duration grace,
    int maxTextLength,
    int maxFrameBytes,
    int maxAddressLength,
    int maxRegistrations,
    int rateBurst,
    int ratePerSecond,
    int capacity,
    int gatewayInstances,
    int eventLoops,
    String logLevel,
    boolean cluster,
    String clusterName,
    String clusterHost,
    int clusterPort,
    java.util.List<String> clusterMembers,
    java.nio.file.Path clusterConfig,
    int eventBusPort,
    String redis,
    Duration redisTimeout,
    int redisPool,
    Duration chatRetention,
    boolean eventBusMetrics,
    boolean httpMetrics,
    boolean straightPath) {

  public static final String DEV_SECRET = "office-hours-dev-secret-not-for-production";

  public Config {
    if (jwtSecret == null || jwtSecret.isBlank()) {
      throw new IllegalArgumentException(
          "no JWT secret: pass --jwt-secret or set OFFICEHOURS_JWT_SECRET (dev mode uses a built-in one)");
    }
    if (!dev && DEV_SECRET.equals(jwtSecret)) {
      throw new IllegalArgumentException("the built-in dev JWT secret is refused with --no-dev");
    }
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    if (eventLoops < 1) throw new IllegalArgumentException("--event-loops must be at least 1: " + eventLoops);
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
    if (gatewayInstances < 1) throw new IllegalArgumentException("gateway instances must be at least 1");
    clusterMembers = java.util.List.copyOf(clusterMembers);
    if (redis != null && redis.isBlank()) redis = null;
    if (redisPool < 1) throw new IllegalArgumentException("the Redis pool needs at least one connection");
    if (redisTimeout.isZero() || redisTimeout.isNegative()) throw new IllegalArgumentException("the Redis timeout must be positive");
    if (chatRetention.toMillis() < 1) throw new IllegalArgumentException("the chat retention must be positive");
  }
}
