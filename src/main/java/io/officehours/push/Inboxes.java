package io.officehours.push;

import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The inboxes of one node, pushed to directly: no event-bus message, no copy of the body, one
 * encoding of it for every socket of every recipient. Each gateway instance joins with its
 * {@link Lane}. Used on a node that is not clustered; a cluster pushes {@link Pushes#toNodes}.
 * Callers keep the order of a chat's pushes themselves (the chat's lock, see {@code ChatLines}).
 */
public final class Inboxes {

  private final List<Lane> lanes = new CopyOnWriteArrayList<>();

  /** A gateway instance starts serving sockets; call on its event loop. */
  public Lane join(Context context, Lane.Delivery delivery) {
    Lane lane = new Lane(context, delivery);
    lanes.add(lane);
    return lane;
  }

  public void leave(Lane lane) {
    lanes.remove(lane);
  }

  /** Pushes a body encoded already (JSON, UTF-8) to every socket registered to the user's inbox. */
  public void push(String userId, byte[] body) {
    for (Lane lane : lanes) {
      if (lane.holds(userId)) lane.push(userId, body);
    }
  }
}
