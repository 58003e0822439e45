package io.officehours.loadtest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load generator that ships in the jar:
 * {@code java -cp officehours.jar io.officehours.loadtest.LoadTest SCENARIO [options]}, or
 * {@code scripts/loadtest.sh SCENARIO [options]}. Scenarios: {@code tutoring}, {@code idle},
 * {@code broadcast}, {@code arrival}. Exit code 0 when the run passed, 1 when it did not (lost or
 * duplicated lines, unfinished chats, failed connections, a timeout), 2 on bad usage.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "officehours loadtest 0.1.0",
    description = "Generates load on Office Hours nodes and checks what comes back.",
    subcommands = {TutoringScenario.class, IdleScenario.class, BroadcastScenario.class, ArrivalScenario.class})
public final class LoadTest implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a load test in this JVM and returns its exit code (the tests call this). */
  public static int run(String... args) {
    return new CommandLine(new LoadTest()).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a scenario: tutoring, idle, broadcast or arrival");
  }
}
