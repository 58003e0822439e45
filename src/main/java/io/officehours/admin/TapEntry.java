package io.officehours.admin;

import io.vertx.core.json.JsonObject;

/**
 * One sampled bridge frame.
 *
 * @param ts        when the node saw it (ms since the epoch)
 * @param node      the {@code --node-id} of the node whose bridge saw it
 * @param direction {@code in} (client to server) or {@code out} (server to client)
 * @param kind      {@code send}, {@code register}, {@code unregister}, {@code publish} (in);
 *                  {@code reply}, {@code err}, {@code push} (out)
 * @param address   the frame's address; for a reply or an err, the address of the request it answers
 * @param user      the client's user id (the inbox owner for an inbox push), null for a topic push
 * @param size      characters of the frame as written or read
 * @param preview   the body, encoded and cut to {@value Tap#PREVIEW_CHARS} characters
 * @param sockets   sockets a push was written to (0 for other frames)
 */
public record TapEntry(long ts, String node, String direction, String kind, String address, String user, int size,
    String preview, int sockets) {

  public static final String IN = "in";
  public static final String OUT = "out";

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("ts", ts).put("node", node).put("direction", direction).put("kind", kind)
        .put("address", address).put("size", size).put("preview", preview);
    if (user != null) json.put("user", user);
    if (sockets > 0) json.put("sockets", sockets);
    return json;
  }
}
