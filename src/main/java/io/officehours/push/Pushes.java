package io.officehours.push;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** How other capabilities push a body to the inboxes ({@code tutor.user.<id>}) of some users. */
@FunctionalInterface
public interface Pushes {

  void toUsers(List<String> userIds, JsonObject body);

  /** Published on the cluster-wide delivery address: every gateway instance of every node writes it to its sockets. */
  static Pushes overBus(EventBus bus) {
    return (userIds, body) -> bus.publish(InboxAddresses.DELIVER,
        new JsonObject().put("users", new JsonArray(List.copyOf(userIds))).put("body", body));
  }
}
