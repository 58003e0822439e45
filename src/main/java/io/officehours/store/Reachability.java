package io.officehours.store;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs when Redis stops answering and when it answers again, once per change: during an outage
 * every request fails, and one line with the cause says more than a thousand identical ones.
 */
final class Reachability {

  private static final Logger LOG = LoggerFactory.getLogger(RedisChatStore.class);

  private final String url;
  private final AtomicBoolean reachable = new AtomicBoolean(true);

  Reachability(String url) {
    this.url = url;
  }

  void answered() {
    if (reachable.compareAndSet(false, true)) LOG.info("chat store reachable again at {}", url);
  }

  void failed(Throwable cause) {
    if (reachable.compareAndSet(true, false)) {
      LOG.warn("chat store unreachable at {}: {} (requests fail with 503 until it answers)", url, cause.toString());
    } else {
      LOG.debug("chat store still unreachable: {}", cause.toString());
    }
  }

  boolean reachable() {
    return reachable.get();
  }
}
