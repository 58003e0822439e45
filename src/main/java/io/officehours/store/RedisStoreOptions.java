package io.officehours.store;

import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link RedisChatStore}.
 *
 * @param url        where Redis listens, {@code redis://host:port} (optionally {@code redis://:password@host:port/db})
 * @param timeout    longest wait for one store operation, queueing included; past it the operation fails with 503
 * @param poolSize   connections to Redis at most; each carries one request at a time
 * @param maxWaiting requests that may wait for a free connection; past it they fail at once with 503
 * @param endedTtl   how long an ended chat stays readable
 * @param keyPrefix  prefix of every key the store writes ({@code oh:} by default)
 */
public record RedisStoreOptions(String url, Duration timeout, int poolSize, int maxWaiting, Duration endedTtl, String keyPrefix) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_POOL_SIZE = 16;
  public static final int DEFAULT_MAX_WAITING = 4096;
  public static final Duration DEFAULT_ENDED_TTL = Duration.ofDays(7);
  public static final String DEFAULT_PREFIX = "oh:";

  /** A connection that has read nothing this long is closed, so a peer that vanished without a reset frees its slot. */
  private static final Duration MIN_READ_IDLE = Duration.ofSeconds(10);

  public RedisStoreOptions {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("redis://") && !url.startsWith("rediss://") && !url.startsWith("unix://")) {
      throw new IllegalArgumentException("not a Redis URL (redis://host:port): " + url);
    }
    if (timeout == null || timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("the Redis timeout must be positive");
    if (poolSize < 1) throw new IllegalArgumentException("the Redis pool needs at least one connection");
    if (maxWaiting < 1) throw new IllegalArgumentException("max waiting must be at least 1");
    if (endedTtl == null || endedTtl.toMillis() < 1) throw new IllegalArgumentException("the ended-chat TTL must be positive");
    if (keyPrefix == null) keyPrefix = DEFAULT_PREFIX;
  }

  public static RedisStoreOptions of(String url) {
    return new RedisStoreOptions(url, DEFAULT_TIMEOUT, DEFAULT_POOL_SIZE, DEFAULT_MAX_WAITING, DEFAULT_ENDED_TTL, DEFAULT_PREFIX);
  }

  public RedisStoreOptions withTimeout(Duration value) {
    return new RedisStoreOptions(url, value, poolSize, maxWaiting, endedTtl, keyPrefix);
  }

  public RedisStoreOptions withPoolSize(int value) {
    return new RedisStoreOptions(url, timeout, value, maxWaiting, endedTtl, keyPrefix);
  }

  public RedisStoreOptions withEndedTtl(Duration value) {
    return new RedisStoreOptions(url, timeout, poolSize, maxWaiting, value, keyPrefix);
  }

  public RedisStoreOptions withKeyPrefix(String value) {
    return new RedisStoreOptions(url, timeout, poolSize, maxWaiting, endedTtl, value);
  }

  /**
   * The client's options. Connecting is bounded by the store timeout (a dead host must not hold
   * a request longer than a refused port does), and a connection that stays silent well past the
   * timeout is dropped: a request stuck on a half-open socket would otherwise keep its pooled
   * connection until the kernel gives up on retransmitting, many minutes later.
   */
  RedisOptions toRedisOptions() {
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    long readIdleSeconds = Math.max(MIN_READ_IDLE.toSeconds(), timeout.multipliedBy(5).toSeconds());
    NetClientOptions net = new NetClientOptions()
        .setConnectTimeout(timeoutMs)
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setReadIdleTimeout((int) readIdleSeconds);
    return new RedisOptions()
        .setConnectionString(url)
        .setNetClientOptions(net)
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(maxWaiting)
        // replies a connection may owe at once: one per request, or the size of a states() batch
        .setMaxWaitingHandlers(Math.max(1024, maxWaiting))
        .setPoolName("officehours-chats");
  }
}
