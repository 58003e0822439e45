package io.officehours.gateway;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** The two transports a bridge connection may ride on: a raw WebSocket, or any SockJS transport. */
interface ClientSocket {

  /** Vert.x's default largest outgoing WebSocket frame; a longer message goes out in several. */
  int MAX_FRAME = 65536;

  void write(String frame);

  /**
   * A frame encoded already (JSON in UTF-8), as one text message; the array may be shared by many
   * sockets and is never changed.
   */
  void write(byte[] frame);

  boolean writeQueueFull();

  void close(short code, String reason);

  static ClientSocket of(ServerWebSocket ws) {
    return new ClientSocket() {
      @Override
      public void write(String frame) {
        ws.writeTextMessage(frame);
      }

      @Override
      public void write(byte[] frame) {
        if (frame.length > MAX_FRAME) {
          // Vert.x splits a long message into frames; one that long is rare enough to pay a decode
          ws.writeTextMessage(new String(frame, java.nio.charset.StandardCharsets.UTF_8));
          return;
        }
        // the public API writes text only from a String (one UTF-8 encoding per socket); this is the
        // frame writeTextMessage builds itself, over bytes encoded once for every recipient
        ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(frame), true));
      }

      @Override
      public boolean writeQueueFull() {
        return ws.writeQueueFull();
      }

      @Override
      public void close(short code, String reason) {
        ws.close(code, reason);
      }
    };
  }

  static ClientSocket of(SockJSSocket sock) {
    return new ClientSocket() {
      @Override
      public void write(String frame) {
        sock.write(frame);
      }

      @Override
      public void write(byte[] frame) {
        sock.write(Buffer.buffer(frame));
      }

      @Override
      public boolean writeQueueFull() {
        return sock.writeQueueFull();
      }

      @Override
      public void close(short code, String reason) {
        sock.close(code, reason);
      }
    };
  }
}
