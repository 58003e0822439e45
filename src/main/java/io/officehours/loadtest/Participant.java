package io.officehours.loadtest;

import io.officehours.chat.ChatAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What students and teachers of the tutoring scenario share: a socket, a pacer, and the sending of
 * chat lines with their timing. Everything runs on the socket's event loop.
 *
 * <p>Timings of a line (microseconds): {@code ack} from writing the send frame to the reply with
 * its seq; {@code send} from writing it to the sender's own {@code chat.message} push (stored and
 * fanned out); {@code roundTrip} from writing it to the push of the peer's answer to it.
 */
abstract class Participant {

  /** One side of one chat. */
  static final class Side {
    final String chatId;
    final SeqTrack track = new SeqTrack();
    long sentAt;
    boolean echoPending;
    int linesSent;
    int peerLines;
    boolean begun;

    Side(String chatId) {
      this.chatId = chatId;
    }
  }

  private static final int MAX_RETRIES = 50;

  final String id;
  final Stats stats;
  final Vertx vertx;
  BridgeClient client;
  Pacer pacer;

  Participant(String id, RunContext ctx) {
    this.id = id;
    this.stats = ctx.stats;
    this.vertx = ctx.vertx;
  }

  abstract boolean stopping();

  /** Sends the next line of this side; a 429 is retried after a pause (nothing was stored), anything else counted. */
  void sendLine(Side side, char who) {
    side.linesSent++;
    send(side, who + Integer.toString(side.linesSent), 0);
  }

  private void send(Side side, String text, int attempt) {
    pacer.submit(() -> {
      if (stopping()) return;
      long t = System.nanoTime();
      side.sentAt = t;
      side.echoPending = true;
      client.request(ChatAddresses.SEND, new JsonObject().put("chatId", side.chatId).put("text", text)).onComplete(ar -> {
        if (ar.succeeded()) {
          stats.inc("messages");
          stats.recordSince("ack", t);
          return;
        }
        String code = code(ar.cause());
        stats.error(code);
        if ("429".equals(code) && attempt < MAX_RETRIES) {
          stats.inc("retries");
          side.echoPending = false;
          vertx.setTimer(20L * (attempt + 1), x -> send(side, text, attempt + 1));
        }
      });
    });
  }

  /** Records a {@code chat.message} in the side's track and its timing; true when the peer sent it. */
  boolean received(Side side, JsonObject push) {
    side.track.add(push.getLong("seq", -1L));
    if (id.equals(push.getString("from"))) {
      if (side.echoPending) {
        side.echoPending = false;
        stats.recordSince("send", side.sentAt);
      }
      return false;
    }
    if (side.sentAt != 0) stats.recordSince("roundTrip", side.sentAt);
    side.peerLines++;
    return true;
  }

  /** Counts what a finished chat's track shows against the lines it should have had. */
  void verify(Side side, int expectedLines) {
    SeqTrack t = side.track;
    stats.add("lost", t.missing(expectedLines));
    stats.add("duplicated", t.duplicates());
    stats.add("outOfOrder", t.outOfOrder());
    stats.add("unexpectedSeq", t.beyond(expectedLines));
    stats.inc("chatsVerified");
  }

  static String code(Throwable e) {
    if (e instanceof BridgeError b) return b.code() == 0 ? "closed" : String.valueOf(b.code());
    return "client." + e.getClass().getSimpleName();
  }
}
