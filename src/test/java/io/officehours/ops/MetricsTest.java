package io.officehours.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.NodeTest;
import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /metrics counts connections, frames in by type, requests by address, frames out and errors by code")
class MetricsTest extends NodeTest {

  private double metric(String name, String labels) {
    TestNode.HttpResponse r = node.get("/metrics");
    assertEquals(200, r.status());
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "" : "\\{[^}]*" + Pattern.quote(labels) + "[^}]*\\}")
        + "\\s+([0-9.eE+-]+)$").matcher(r.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void countsWhatTheBridgeDid() {
    BridgeClient student = node.connect("m-s1", "student");
    assertEquals(1, metric("officehours_connections", ""));
    TestNode.await(student.request("tutor.me", new JsonObject()));
    TestNode.await(student.request("tutor.me", new JsonObject()));
    assertThrows(RuntimeException.class, () -> TestNode.await(student.request("tutor.teacher.claim", new JsonObject())));
    assertThrows(RuntimeException.class, () -> TestNode.await(student.request("tutor.chat.send", new JsonObject().put("text", "x"))));

    assertEquals(2, metric("officehours_requests_total", "address=\"tutor.me\""));
    assertEquals(1, metric("officehours_requests_total", "address=\"tutor.teacher.claim\""));
    assertEquals(4, metric("officehours_frames_in_total", "type=\"send\""));
    assertEquals(1, metric("officehours_errors_total", "code=\"403\""));
    assertEquals(1, metric("officehours_errors_total", "code=\"400\""));
    TestNode.await(student.close());
  }

  @Test
  @DisplayName("each worker pool has meters of its own (pool type and name), so micrometer drops none as a duplicate")
  void poolsByName() {
    String body = node.get("/metrics").body();
    for (String pool : new String[] {"vert.x-worker-thread", "vert.x-internal-blocking"}) {
      assertTrue(body.contains("vertx_pool_in_use{pool_name=\"" + pool + "\",pool_type=\"worker\"}"), pool + " in:\n" + body);
    }
  }
}
