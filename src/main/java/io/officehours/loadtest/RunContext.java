package io.officehours.loadtest;

import io.vertx.core.Vertx;

/** What a scenario drives its clients with, in one process. */
final class RunContext {
  final Vertx vertx;
  final CommonOptions options;
  final Stats stats;
  final Connector connector;
  /** Epoch ms of the start signal. */
  volatile long startedAt;

  RunContext(Vertx vertx, CommonOptions options, Stats stats, Connector connector) {
    this.vertx = vertx;
    this.options = options;
    this.stats = stats;
    this.connector = connector;
  }

  Pacer pacer() {
    return new Pacer(vertx, options.clientRate);
  }
}
