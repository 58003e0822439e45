package io.officehours.push;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How other capabilities push a body to the inboxes ({@code tutor.user.<id>}) of some users. */
@FunctionalInterface
public interface Pushes {

  void toUsers(List<String> userIds, JsonObject body);

  /** Published on the cluster-wide delivery address: every gateway instance of every node writes it to its sockets. */
  static Pushes overBus(EventBus bus) {
    return (userIds, body) -> bus.publish(InboxAddresses.DELIVER,
        new JsonObject().put("users", new JsonArray(List.copyOf(userIds))).put("body", body));
  }

  /**
   * Only to the nodes that hold a recipient ({@link UserNodes}), once per node, on that node's
   * delivery address; this node's own share never leaves it. The pushes one caller makes to a node
   * all take that node's address, so they arrive in the order they were made.
   */
  static Pushes toNodes(EventBus bus, UserNodes nodes, String self) {
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    return (userIds, body) -> {
      Map<String, JsonArray> byNode = new LinkedHashMap<>(4);
      for (String user : userIds) {
        for (String node : nodes.of(user)) byNode.computeIfAbsent(node, n -> new JsonArray()).add(user);
      }
      byNode.forEach((node, users) -> {
        JsonObject delivery = new JsonObject().put("users", users).put("body", body);
        if (node.equals(self)) bus.publish(InboxAddresses.node(node), delivery, local);
        else bus.publish(InboxAddresses.node(node), delivery);
      });
    };
  }
}
