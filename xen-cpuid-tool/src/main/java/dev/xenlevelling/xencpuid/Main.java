package dev.xenlevelling.xencpuid;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The {@code xen-cpuid} command: see {@link XenCpuid} and docs/xen-cpuid.md. */
public final class Main {
  /** The environment variable bin/xen-cpuid passes its {@code $0} in (Java cannot see argv[0]). */
  static final String ARGV0_ENV = "XEN_CPUID_ARGV0";

  private Main() {}

  /**
   * Runs xen-cpuid with {@code args} (argv[1] on), printing to {@code out} and {@code err};
   * returns the exit code. The program name in messages is {@code xen-cpuid}.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return new XenCpuid("xen-cpuid", false, NameTable.latest(), Optional.empty()).run(args, out, err);
  }

  /** Runs xen-cpuid and exits with its code. */
  public static void main(String[] args) {
    String argv0 = System.getenv(ARGV0_ENV);
    boolean posixlyCorrect = System.getenv("POSIXLY_CORRECT") != null;
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int rc = new XenCpuid(argv0 == null || argv0.isEmpty() ? "xen-cpuid" : argv0, posixlyCorrect,
        NameTable.latest(), Optional.empty()).run(args, out, err);
    out.flush();
    err.flush();
    System.exit(rc);
  }
}
