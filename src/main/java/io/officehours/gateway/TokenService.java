package io.officehours.gateway;

import io.officehours.common.Failure;
import io.officehours.common.Role;
import io.officehours.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.regex.Pattern;

/**
 * Verifies and (in dev mode) issues the JWTs of the contract: HS256 with the configured key,
 * {@code sub} = user id, {@code role}, and a mandatory {@code exp}.
 */
public final class TokenService {

  /** User ids end up in addresses ({@code tutor.user.<id>}), so they are kept short and plain. */
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

  private final JWTAuth auth;
  private final Config config;

  public TokenService(Vertx vertx, Config config) {
    this.config = config;
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(config.jwtSecret()))
        .setJWTOptions(new JWTOptions().setAlgorithm("HS256")));
  }

  public static boolean isValidUserId(String userId) {
    return userId != null && USER_ID.matcher(userId).matches();
  }

  /** The identity in a token, or a 401 failure saying why it is refused. */
  public Future<Identity> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(Failure.of(Failure.UNAUTHENTICATED, "missing token"));
    }
    return auth.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(Failure.of(Failure.UNAUTHENTICATED, "invalid or expired token")))
        .compose(user -> {
          // vertx-auth-jwt keeps the verified claims under attributes.accessToken
          JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
          String sub = claims.getString("sub");
          Role role = Role.parse(claims.getString("role"));
          if (!isValidUserId(sub)) return Future.failedFuture(Failure.of(Failure.UNAUTHENTICATED, "token has no valid sub"));
          if (role == null) return Future.failedFuture(Failure.of(Failure.UNAUTHENTICATED, "token has no valid role"));
          if (claims.getValue("exp") == null) return Future.failedFuture(Failure.of(Failure.UNAUTHENTICATED, "token has no exp"));
          return Future.succeededFuture(new Identity(sub, role));
        });
  }

  public String issue(String userId, Role role) {
    return auth.generateToken(new JsonObject().put("sub", userId).put("role", role.wire()),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) config.tokenTtl().toSeconds()));
  }
}
