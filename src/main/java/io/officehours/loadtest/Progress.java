package io.officehours.loadtest;

/** The live progress line on stderr: rewritten in place on a terminal, one line per second otherwise. */
final class Progress {
  private static final boolean TERMINAL = System.console() != null;
  private static int lastLength;

  private Progress() {}

  static synchronized void print(CommonOptions o, double t, String line) {
    if (o.quiet) return;
    String text = String.format("[%4.0fs] %s", t, line);
    if (TERMINAL) {
      System.err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
      lastLength = text.length();
    } else {
      System.err.println(text);
    }
    System.err.flush();
  }

  static synchronized void end(CommonOptions o) {
    if (!o.quiet && TERMINAL && lastLength > 0) System.err.println();
    lastLength = 0;
  }
}
