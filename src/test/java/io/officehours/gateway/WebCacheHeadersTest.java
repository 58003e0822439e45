package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web client's cache headers over a real socket: the app's files revalidate on every load and
 * cost a 304 when unchanged; the pinned libraries are cached for a week.
 */
@DisplayName("Static files: the app revalidates (no-cache + ETag + Last-Modified, 304 when unchanged), the pinned libraries cache long")
@Timeout(60)
class WebCacheHeadersTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
        .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) request.headers(headers);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/student.html", "/teacher.html", "/student.js", "/connection.js", "/style.css", "/"})
  @DisplayName("an app file: Cache-Control no-cache, a content ETag, Last-Modified, and 304 on If-None-Match or If-Modified-Since")
  void appFilesRevalidate(String path) throws Exception {
    HttpResponse<String> first = get(path);
    assertEquals(200, first.statusCode());
    assertFalse(first.body().isEmpty());
    assertEquals("no-cache", header(first, "Cache-Control"));
    String etag = header(first, "ETag");
    String lastModified = header(first, "Last-Modified");
    assertNotNull(etag, "ETag");
    assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
    assertNotNull(lastModified, "Last-Modified");

    HttpResponse<String> byTag = get(path, "If-None-Match", etag);
    assertEquals(304, byTag.statusCode(), "If-None-Match with the current ETag");
    assertEquals("", byTag.body());
    assertEquals(etag, header(byTag, "ETag"));
    assertEquals("no-cache", header(byTag, "Cache-Control"));

    HttpResponse<String> byDate = get(path, "If-Modified-Since", lastModified);
    assertEquals(304, byDate.statusCode(), "If-Modified-Since with the current Last-Modified");

    HttpResponse<String> changed = get(path, "If-None-Match", "\"0123456789abcdef0123456789abcdef\"");
    assertEquals(200, changed.statusCode(), "another ETag: the file is sent again");
    assertEquals(first.body(), changed.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/lib/sockjs.min.js", "/lib/vertx-eventbus.js"})
  @DisplayName("a pinned library: cached a week, and still revalidates with a 304 after that")
  void librariesCacheLong(String path) throws Exception {
    HttpResponse<String> first = get(path);
    assertEquals(200, first.statusCode());
    assertEquals("public, max-age=" + WebCachePolicy.LIBRARY_MAX_AGE_SECONDS, header(first, "Cache-Control"));
    String etag = header(first, "ETag");
    assertNotNull(etag, "ETag");
    assertEquals(304, get(path, "If-None-Match", etag).statusCode());
    assertEquals(304, get(path, "If-Modified-Since", header(first, "Last-Modified")).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/student.js", "/lib/sockjs.min.js"})
  @DisplayName("different files have different ETags, and one file keeps its ETag")
  void etagsFollowContent(String path) throws Exception {
    String tag = header(get(path), "ETag");
    assertEquals(tag, header(get(path), "ETag"));
    assertNotEquals(tag, header(get("/teacher.js"), "ETag"));
  }
}
