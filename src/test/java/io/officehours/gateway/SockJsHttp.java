package io.officehours.gateway;

import io.officehours.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Plain HTTP/1.1 requests for the SockJS xhr transports, as a browser makes them. Two things of the
 * transport decide the shape: Vert.x's SockJS closes the connection after every xhr response, so
 * each request gets a client of its own (a pooled connection could be one the server is closing);
 * and HTTP/1.1 is forced, because a JDK client otherwise upgrades to h2c, where closing one xhr
 * response closes the whole connection and the session with it (browsers never use h2c).
 */
final class SockJsHttp {

  private SockJsHttp() {}

  /** A new session path {@code /eventbus/<server>/<session>}. */
  static String newSession() {
    return "/eventbus/" + (100 + (int) (Math.random() * 899)) + "/" + UUID.randomUUID().toString().replace("-", "");
  }

  static String query(String token) {
    return "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  static TestNode.HttpResponse post(TestNode node, String uri, String body) {
    return send(node, "POST", uri, body);
  }

  static TestNode.HttpResponse get(TestNode node, String uri) {
    return send(node, "GET", uri, null);
  }

  private static TestNode.HttpResponse send(TestNode node, String method, String uri, String body) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + uri))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
        .build();
    try {
      var response = client.send(request, BodyHandlers.ofString());
      return new TestNode.HttpResponse(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
