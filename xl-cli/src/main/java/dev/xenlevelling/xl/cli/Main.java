package dev.xenlevelling.xl.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code xl} command: parses arguments, calls xl-lib, prints, returns xl's exit codes. */
public final class Main {
  private Main() {}

  /** Runs xl with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    out.println("Usage xl [-v] [-N] [-f] <subcommand> [args]");
    out.println();
    out.println("xl full list of subcommands: (none yet)");
    return 0;
  }

  /** Runs xl and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int rc = run(args, out, err);
    out.flush();
    System.exit(rc);
  }
}
