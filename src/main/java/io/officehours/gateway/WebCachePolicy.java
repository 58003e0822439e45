package io.officehours.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Cache headers of the web client, set just before the {@code StaticHandler} serves a file from the
 * jar's {@code webroot/}. The StaticHandler keeps a header that is already there, adds
 * {@code Last-Modified}, and answers 304 to a matching {@code If-None-Match} or
 * {@code If-Modified-Since}.
 *
 * <ul>
 *   <li>The app's own pages, modules and style sheet: {@code Cache-Control: no-cache}. A browser
 *       asks again every time, so a deploy takes effect at the next load, and an unchanged file
 *       costs a 304 with no body.
 *   <li>The pinned libraries under {@code /lib/} (sockjs-client, vertx-eventbus.js, copied from
 *       web-client/node_modules at build time, versions fixed by package-lock.json): cached for
 *       {@link #LIBRARY_MAX_AGE_SECONDS} without asking. They change only with a deliberate
 *       upgrade, and both speak stable wire protocols, so a browser that keeps the previous copy
 *       for a few days after an upgrade still works.
 * </ul>
 *
 * <p>The {@code ETag} is a hash of the file's content, not of its time: every node of a cluster
 * extracts the jar's files at its own start-up, so their {@code Last-Modified} differ, but the
 * same file has the same ETag on every node, and a browser that the load balancer sends to another
 * node still gets its 304. Hashes are computed once per file and instance, reading through Vert.x's
 * asynchronous file system, so the event loop never waits for the disk.
 */
final class WebCachePolicy implements Handler<RoutingContext> {

  static final String LIBRARIES = "/lib/";
  /** What the StaticHandler serves for a path ending in a slash (its default). */
  static final String INDEX_PAGE = "index.html";
  /** One week. */
  static final long LIBRARY_MAX_AGE_SECONDS = 7 * 24 * 3600;
  static final String APP_CACHE_CONTROL = "no-cache";
  static final String LIBRARY_CACHE_CONTROL = "public, max-age=" + LIBRARY_MAX_AGE_SECONDS;

  /** Paths of files the web client could have; anything else is left to the StaticHandler alone. */
  private static final Pattern ASSET = Pattern.compile("^(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+\\.(html|js|css|png|svg|ico|json|map)$");
  /** Bounds the hash table, whatever paths clients try: the web client has a few dozen files. */
  private static final int MAX_ENTRIES = 512;

  private final Vertx vertx;
  private final String webRoot;
  private final Map<String, String> etags = new HashMap<>();

  WebCachePolicy(Vertx vertx, String webRoot) {
    this.vertx = vertx;
    this.webRoot = webRoot;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    String path = ctx.normalizedPath();
    if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || path == null) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, path.startsWith(LIBRARIES) ? LIBRARY_CACHE_CONTROL : APP_CACHE_CONTROL);
    String file = path.endsWith("/") ? path + INDEX_PAGE : path;
    if (!ASSET.matcher(file).matches()) {
      ctx.next();
      return;
    }
    etag(file).onComplete(ar -> {
      if (ar.succeeded()) ctx.response().putHeader(HttpHeaders.ETAG, ar.result());
      // no such file: the StaticHandler answers (or passes on) as it would without this policy
      ctx.next();
    });
  }

  private Future<String> etag(String path) {
    String known = etags.get(path);
    if (known != null) return Future.succeededFuture(known);
    return vertx.fileSystem().readFile(webRoot + path).map(WebCachePolicy::hash).onSuccess(tag -> {
      if (etags.size() < MAX_ENTRIES) etags.put(path, tag);
    });
  }

  private static String hash(Buffer content) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes());
      return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
