package io.officehours.gateway;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** The two transports a bridge connection may ride on: a raw WebSocket, or any SockJS transport. */
interface ClientSocket {

  void write(String frame);

  boolean writeQueueFull();

  void close(short code, String reason);

  static ClientSocket of(ServerWebSocket ws) {
    return new ClientSocket() {
      @Override
      public void write(String frame) {
        ws.writeTextMessage(frame);
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
