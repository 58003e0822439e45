package io.officehours;

import ch.qos.logback.classic.Level;
import io.officehours.config.Config;
import io.officehours.config.ServerCommand;
import io.officehours.cluster.ClusterNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.officehours.ops.NodeMetrics;
import io.officehours.store.HazelcastChatStore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Starts one node: reads the config once, starts Vert.x, deploys the verticles, stops cleanly on SIGTERM. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Config config = parseOrExit(args);
    // before the first logger exists: the log pattern names the node, and Vert.x logs through SLF4J
    System.setProperty("officehours.node", config.nodeId());
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    Logger log = LoggerFactory.getLogger(Main.class);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.toLevel(config.logLevel(), Level.INFO));

    long started = System.nanoTime();
    Future<Vertx> vertx = config.cluster()
        ? ClusterNode.start(config, NodeMetrics.vertxOptions(config)).compose(node -> {
            log.info("joined cluster {} as {} ({} members)", config.clusterName(), node.nodeId(), node.memberCount());
            return Node.chatStore(node.vertx(), config, () -> new HazelcastChatStore(node.hazelcast(), node.vertx()))
                .compose(chats -> Node.deploy(node.vertx(), config, node.backends(config, chats)))
                .map(node.vertx());
          })
        : Future.succeededFuture(Vertx.vertx(NodeMetrics.vertxOptions(config))).compose(v -> Node.deploy(v, config).map(v));
    vertx
        .onSuccess(v -> {
          String host = "0.0.0.0".equals(config.host()) ? "localhost" : config.host();
          log.info("ready in {} ms: http://{}:{}/ (dev mode {})", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
              host, config.port(), config.dev() ? "on" : "off");
        })
        .onFailure(e -> {
          log.error("start-up failed: {}", e.toString(), e);
          System.exit(1);
        });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        if (vertx.succeeded()) vertx.result().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("shutdown did not complete: {}", e.toString());
      }
    }, "officehours-shutdown"));
  }

  private static Config parseOrExit(String[] args) {
    ServerCommand command = new ServerCommand();
    CommandLine cli;
    try {
      cli = ServerCommand.commandLine(command, System.getenv(), args);
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (CommandLine.printHelpIfRequested(parsed)) System.exit(0);
      return command.call();
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      e.getCommandLine().usage(System.err);
      System.exit(2);
    } catch (IllegalArgumentException e) {
      System.err.println("officehours: " + e.getMessage());
      System.exit(2);
    }
    throw new AssertionError("unreachable");
  }
}
