package io.officehours.cluster;

import com.hazelcast.internal.util.ConcurrencyUtil;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives Hazelcast a thread pool for the completion callbacks of its async calls on small machines.
 *
 * <p>Hazelcast runs every callback of {@code setAsync}, {@code submitToKey} and the like on
 * {@code ForkJoinPool.commonPool()}, except when the common pool's parallelism is 1 (any machine
 * with 2 cores or fewer): then it starts a new thread for each callback. Under a stream of
 * arrivals that is thousands of thread starts a second, made from Hazelcast's partition and
 * response threads, and those threads stall behind them: on this project's 2-core machine a
 * clustered node answered 314 of 10,000 arriving clients before their requests timed out, and
 * all 10,000 once this pool was in place (docs/benchmarks.md). The callbacks only hand results to
 * Vert.x contexts, so a few threads are plenty.
 */
final class HazelcastCallbacks {

  private static final int THREADS = 4;
  private static ExecutorService pool;

  private HazelcastCallbacks() {}

  /** Before the first Hazelcast instance starts; once per JVM, whatever the number of instances. */
  static synchronized void ensurePool() {
    if (pool != null || ForkJoinPool.getCommonPoolParallelism() > 1) return;
    AtomicInteger n = new AtomicInteger();
    pool = Executors.newFixedThreadPool(THREADS, task -> {
      Thread t = new Thread(task, "officehours-hz-callback-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ConcurrencyUtil.setDefaultAsyncExecutor(pool);
  }
}
