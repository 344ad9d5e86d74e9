package dev.xenlevelling.xencpuid;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The {@code xen-cpuid} command. */
public final class Main {
  private Main() {}

  /** Runs xen-cpuid with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    out.println("Usage: xen-cpuid [ info | detail | <featureset>* ]");
    return 0;
  }

  /** Runs xen-cpuid and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int rc = run(args, out, err);
    out.flush();
    System.exit(rc);
  }
}
