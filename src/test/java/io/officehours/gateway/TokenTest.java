package io.officehours.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.officehours.TestNode;
import io.officehours.loadtest.BridgeClient;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens are checked before any socket exists, on the raw WebSocket upgrade and on every SockJS
 * session request; the dev token endpoint validates its input and vanishes with dev mode off.
 */
@DisplayName("Tokens: refused with 401 unless valid, on every transport; the dev endpoint validates its input")
class TokenTest {

  /** An xhr_send body: one SockJS message holding a bridge ping frame. */
  private static final String PING = "[\"{\\\"type\\\":\\\"ping\\\"}\"]";
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static JWTAuth signer(String secret) {
    return JWTAuth.create(node.vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** A signed token with exactly these claims (no iat, no exp added). */
  private static String sign(String secret, JsonObject claims) {
    return signer(secret).generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject without(JsonObject claims, String key) {
    JsonObject copy = claims.copy();
    copy.remove(key);
    return copy;
  }

  /** The query string for each kind of bad token ("" = no token parameter at all). */
  private static String badQuery(String kind) {
    String secret = node.config.jwtSecret();
    JsonObject good = new JsonObject().put("sub", "s1").put("role", "student").put("exp", now() + 3600);
    String token = switch (kind) {
      case "none" -> null;
      case "empty" -> "";
      case "malformed" -> "abc";
      case "forged" -> sign("some-other-secret-of-a-forger", good);
      case "expired" -> sign(secret, good.copy().put("exp", now() - 3600));
      case "unknown role" -> sign(secret, good.copy().put("role", "janitor"));
      case "no role" -> sign(secret, without(good, "role"));
      case "no exp" -> sign(secret, without(good, "exp"));
      case "no sub" -> sign(secret, without(good, "sub"));
      case "alg none" -> base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64(good.encode()) + ".";
      default -> throw new IllegalArgumentException(kind);
    };
    return token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  private static Future<WebSocket> upgrade(String uri) {
    return node.ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port).setURI(uri));
  }

  private static int refusedUpgradeStatus(String uri) {
    Future<WebSocket> attempt = upgrade(uri);
    try {
      TestNode.await(attempt);
    } catch (RuntimeException e) {
      // TestNode.await rethrows runtime failures as they are
    }
    assertTrue(attempt.failed(), "upgrade of " + uri + " was accepted");
    return assertInstanceOf(UpgradeRejectedException.class, attempt.cause(), attempt.cause().toString()).getStatus();
  }

  @ParameterizedTest(name = "token: {0}")
  @ValueSource(strings = {"none", "empty", "malformed", "forged", "expired", "unknown role", "no role", "no exp", "no sub", "alg none"})
  @Timeout(10)
  @DisplayName("A bad token is refused with 401 on the raw WebSocket, the SockJS xhr and xhr_send, and the SockJS WebSocket")
  void badTokenRefused(String kind) {
    String query = badQuery(kind);
    assertEquals(401, refusedUpgradeStatus("/eventbus/websocket" + query), "raw WebSocket");

    String session = SockJsHttp.newSession();
    TestNode.HttpResponse open = SockJsHttp.post(node, session + "/xhr" + query, null);
    assertEquals(401, open.status(), "SockJS xhr: " + open.body());
    assertTrue(new JsonObject(open.body()).getString("error") != null, "says why: " + open.body());
    assertEquals(401, SockJsHttp.post(node, session + "/xhr_send" + query, PING).status(), "SockJS xhr_send");
    assertEquals(401, SockJsHttp.get(node, session + "/eventsource" + query).status(), "SockJS eventsource");
    // the same over the JDK client's default HTTP/2 (h2c): a refusal must not depend on the protocol
    assertEquals(401, node.post(session + "/xhr" + query, null).status(), "SockJS xhr over h2c");
    assertEquals(401, node.post(session + "/xhr_send" + query, PING).status(), "SockJS xhr_send over h2c");
    assertEquals(401, node.get(session + "/eventsource" + query).status(), "SockJS eventsource over h2c");
    assertEquals(401, refusedUpgradeStatus(SockJsHttp.newSession() + "/websocket" + query), "SockJS WebSocket");
  }

  @Test
  @Timeout(10)
  @DisplayName("A valid token opens the raw WebSocket and a SockJS session, and a valid session refuses a bad token")
  void validTokenAccepted() {
    String token = sign(node.config.jwtSecret(), new JsonObject().put("sub", "v1").put("role", "teacher").put("exp", now() + 60));
    BridgeClient client = node.connectWithToken(token);
    JsonObject me = TestNode.await(client.request("tutor.me", new JsonObject()));
    assertEquals("v1", me.getString("userId"));
    assertEquals("teacher", me.getString("role"));

    String session = SockJsHttp.newSession();
    String query = SockJsHttp.query(token);
    TestNode.HttpResponse open = SockJsHttp.post(node, session + "/xhr" + query, null);
    assertEquals(200, open.status(), open.body());
    assertEquals("o\n", open.body(), "SockJS open frame");
    // the session exists now; each request on it still needs a valid token of its own
    assertEquals(401, SockJsHttp.post(node, session + "/xhr_send" + badQuery("forged"), PING).status());
    assertEquals(204, SockJsHttp.post(node, session + "/xhr_send" + query, PING).status());
  }

  static Stream<String> badTokenBodies() {
    return Stream.of(
        "not json",
        "",
        "[\"s1\",\"student\"]",
        "\"s1\"",
        "{\"role\":\"student\"}",
        "{\"userId\":42,\"role\":\"student\"}",
        "{\"userId\":\"s1\"}",
        "{\"userId\":\"s1\",\"role\":\"janitor\"}",
        "{\"userId\":\"s1\",\"role\":\"Student\"}",
        "{\"userId\":\"s1\",\"role\":7}",
        "{\"userId\":\"has spaces\",\"role\":\"student\"}",
        "{\"userId\":\"\",\"role\":\"student\"}",
        new JsonObject().put("userId", "u".repeat(100)).put("role", "student").encode());
  }

  @ParameterizedTest(name = "body: {0}")
  @MethodSource("badTokenBodies")
  @Timeout(10)
  @DisplayName("POST /api/token with a bad body answers 400 with a JSON error")
  void devTokenBadBody(String body) {
    TestNode.HttpResponse r = node.post("/api/token", body);
    assertEquals(400, r.status(), r.body());
    JsonObject error = new JsonObject(r.body());
    assertTrue(error.getString("error") != null && !error.getString("error").isBlank(), r.body());
  }

  @Test
  @Timeout(10)
  @DisplayName("POST /api/token with a good body issues a token that carries the user, the role and an exp")
  void devTokenIssued() {
    String token = node.token("s-ok_1.x@y", "student");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    assertEquals("s-ok_1.x@y", claims.getString("sub"));
    assertEquals("student", claims.getString("role"));
    assertTrue(claims.getLong("exp") > now(), "exp in the future: " + claims);
    assertEquals("s-ok_1.x@y", TestNode.await(node.connectWithToken(token).request("tutor.me", new JsonObject())).getString("userId"));
  }

  @Test
  @Timeout(15)
  @DisplayName("With --no-dev the token endpoint does not exist (404) and only tokens signed with the configured key work")
  void noDevMode() {
    try (TestNode prod = TestNode.start("--no-dev", "--jwt-secret", "x")) {
      TestNode.HttpResponse r = prod.post("/api/token", new JsonObject().put("userId", "s1").put("role", "student").encode());
      assertEquals(404, r.status(), r.body());

      JsonObject claims = new JsonObject().put("sub", "p1").put("role", "student").put("exp", now() + 60);
      BridgeClient client = prod.connectWithToken(sign("x", claims));
      assertEquals("p1", TestNode.await(client.request("tutor.me", new JsonObject())).getString("userId"));

      Future<BridgeClient> devSigned = BridgeClient.connect(prod.ws, "127.0.0.1", prod.port, sign(node.config.jwtSecret(), claims));
      try {
        TestNode.await(devSigned);
      } catch (RuntimeException e) {
        // expected: checked below
      }
      assertTrue(devSigned.failed(), "a token signed with the dev key was accepted");
      assertEquals(401, assertInstanceOf(UpgradeRejectedException.class, devSigned.cause()).getStatus());
    }
  }
}
