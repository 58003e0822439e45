package io.officehours.loadtest;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The server's memory before the clock and once every connection has been tried: through
 * {@code --server-pid} and jcmd (one local node, after a full GC: live objects only), else the
 * heap gauges of {@code GET /metrics} summed over every target (no GC forced: a rough upper
 * bound), else a note in the result that it was not measured.
 */
final class ServerSide {
  private static final int METRICS_KEPT = 20_000;

  private ServerSide() {}

  static void before(CommonOptions o, JsonObject server, List<String> notes) {
    if (o.serverPid != null) {
      server.put("probe", "jcmd").put("pid", o.serverPid);
      try {
        server.put("heapUsedBeforeBytes", ServerProbe.heapUsedAfterGc(o.serverPid));
      } catch (Exception e) {
        notes.add("server heap not measured: " + e.getMessage());
      }
      return;
    }
    String metrics = ServerProbe.metrics(o.targets().get(0));
    if (metrics != null) {
      server.put("probe", "metrics").put("metricsBefore", cut(metrics));
      Long heap = heapOfTargets(o);
      if (heap != null) server.put("heapUsedBeforeBytes", heap);
      notes.add("server heap from GET /metrics without a forced GC: includes garbage; pass --server-pid for a local node's live heap");
    } else {
      server.put("probe", "none");
      notes.add("server memory not measured: no GET /metrics on " + o.targets().get(0)
          + "; pass --server-pid PID for a local node to read its heap with jcmd");
    }
  }

  static void after(CommonOptions o, JsonObject server, List<String> notes, long connected) {
    if (o.serverPid != null) {
      try {
        server.put("heapUsedAfterBytes", ServerProbe.heapUsedAfterGc(o.serverPid));
        server.put("connectionsAtProbe", connected);
      } catch (Exception e) {
        notes.add("server heap not measured: " + e.getMessage());
      }
    } else if ("metrics".equals(server.getString("probe"))) {
      String metrics = ServerProbe.metrics(o.targets().get(0));
      if (metrics != null) server.put("metricsAfter", cut(metrics)).put("connectionsAtProbe", connected);
      Long heap = heapOfTargets(o);
      if (heap != null && server.containsKey("heapUsedBeforeBytes")) server.put("heapUsedAfterBytes", heap);
    }
  }

  /** The heap in use summed over every target that answers /metrics, or null when one does not. */
  private static Long heapOfTargets(CommonOptions o) {
    long sum = 0;
    for (CommonOptions.Target t : o.targets()) {
      String m = ServerProbe.metrics(t);
      Long heap = m == null ? null : ServerProbe.heapUsedFromMetrics(m);
      if (heap == null) return null;
      sum += heap;
    }
    return sum;
  }

  private static String cut(String s) {
    return s.length() > METRICS_KEPT ? s.substring(0, METRICS_KEPT) : s;
  }
}
