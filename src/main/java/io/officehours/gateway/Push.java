package io.officehours.gateway;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** How other capabilities push a body to the inboxes ({@code tutor.user.<id>}) of some users. */
public final class Push {
  private Push() {}

  public static void toUsers(EventBus bus, List<String> userIds, JsonObject body) {
    bus.publish(GatewayAddresses.DELIVER, new JsonObject().put("users", new JsonArray(List.copyOf(userIds))).put("body", body));
  }
}
