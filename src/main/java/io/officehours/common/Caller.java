package io.officehours.common;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * Who sent a request. Only the gateway sets it, from the verified token, in message headers; a
 * client body never carries identity, and the gateway drops any headers a client sends.
 */
public record Caller(String userId, Role role, String connectionRef) {

  private static final String USER = "oh-user";
  private static final String ROLE = "oh-role";
  private static final String REF = "oh-ref";

  public DeliveryOptions toDeliveryOptions(long timeoutMs) {
    return new DeliveryOptions()
        .setSendTimeout(timeoutMs)
        .addHeader(USER, userId)
        .addHeader(ROLE, role.wire())
        .addHeader(REF, connectionRef);
  }

  /** The caller of a request, or a 401 failure when the message did not come through the gateway. */
  public static Caller of(Message<?> message) {
    return of(message.headers());
  }

  public static Caller of(MultiMap headers) {
    String user = headers.get(USER);
    Role role = Role.parse(headers.get(ROLE));
    if (user == null || role == null) throw Failure.of(Failure.UNAUTHENTICATED, "not authenticated");
    return new Caller(user, role, headers.get(REF));
  }

  public boolean is(Role r) {
    return role == r;
  }
}
