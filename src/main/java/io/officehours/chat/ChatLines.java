package io.officehours.chat;

import io.officehours.common.Failure;
import io.officehours.common.JsonText;
import io.officehours.config.Config;
import io.officehours.push.Inboxes;
import io.officehours.store.LockedAppend;
import io.vertx.core.json.JsonObject;
import java.util.function.LongConsumer;

/**
 * The straight path of a chat line on a node that is not clustered: the gateway instance that read
 * the line calls {@link #send} on its own event loop. No event-bus message, body copy, header map,
 * reply timer or hand-off to another event loop; the push body is encoded once for every socket
 * of both participants.
 *
 * <p>Order: the store appends under the chat's lock, and under that lock the sender is answered
 * first and then the line is pushed; so on every socket the answer to a line comes before any push
 * the line caused, and the pushes of one chat come in seq order.
 */
public final class ChatLines {

  private final Config config;
  private final LockedAppend store;
  private final Inboxes inboxes;
  /** Only while the chat verticle is deployed: without it the node refuses chat requests with 503. */
  private volatile boolean serving;

  public ChatLines(Config config, LockedAppend store, Inboxes inboxes) {
    this.config = config;
    this.store = store;
    this.inboxes = inboxes;
  }

  /**
   * Writes a line from {@code userId}; {@code answer} gets its seq before anyone is pushed the line.
   * Throws a contract failure (400, 403, 404, 409, 413) and changes nothing when the line is refused.
   */
  public void send(String userId, Object chatId, Object text, LongConsumer answer) {
    if (!serving) throw Failure.of(Failure.UNAVAILABLE, "the chat service is not available");
    String id = requiredString(chatId, "chatId");
    String line = requiredString(text, "text");
    if (line.isBlank()) throw Failure.of(Failure.BAD_REQUEST, "text is empty");
    if (line.length() > config.maxTextLength() && line.codePointCount(0, line.length()) > config.maxTextLength()) {
      throw Failure.of(Failure.TOO_LARGE, "text is longer than " + config.maxTextLength() + " characters");
    }
    store.append(id, userId, line, System.currentTimeMillis(), (chat, message) -> {
      answer.accept(message.seq());
      byte[] body = JsonText.utf8(encode(message));
      inboxes.push(chat.teacherId(), body);
      inboxes.push(chat.studentId(), body);
    });
  }

  /**
   * A push of the chat verticle ({@code chat.started}, {@code chat.ended}) to every session of both
   * participants, under the chat's lock like a line's: a line a participant sends on reading it
   * cannot overtake it on the other participant's sockets.
   */
  void push(Chat chat, JsonObject body) {
    byte[] encoded = body.toBuffer().getBytes();
    store.locked(chat.chatId(), () -> {
      inboxes.push(chat.teacherId(), encoded);
      inboxes.push(chat.studentId(), encoded);
    });
  }

  void serving(boolean on) {
    serving = on;
  }

  /** The {@code chat.message} push, fields in the order {@code ChatVerticle} has always sent them. */
  static StringBuilder encode(ChatMessage m) {
    StringBuilder out = new StringBuilder(96 + m.text().length());
    out.append("{\"type\":\"chat.message\",\"chatId\":");
    JsonText.quote(out, m.chatId()).append(",\"seq\":").append(m.seq()).append(",\"from\":");
    JsonText.quote(out, m.from()).append(",\"text\":");
    return JsonText.quote(out, m.text()).append(",\"ts\":").append(m.ts()).append('}');
  }

  private static String requiredString(Object v, String field) {
    if (v == null) throw Failure.of(Failure.BAD_REQUEST, "missing field '" + field + "'");
    if (!(v instanceof String s)) throw Failure.of(Failure.BAD_REQUEST, "field '" + field + "' must be a string");
    return s;
  }
}
