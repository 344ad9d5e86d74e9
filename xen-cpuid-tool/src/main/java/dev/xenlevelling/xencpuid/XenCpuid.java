package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xencpuid.CommandLine.Outcome;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The xen-cpuid command, as the latest Xen's tools/misc/xen-cpuid.c {@code main}: reads the
 * command line, then decodes featuresets (interpret mode) or dumps what the hypervisor offers.
 *
 * <p>Exit codes are Xen's: 0 on success, after {@code -h} and (Xen's wart, kept) after a bad
 * option; 1 after a failure, reported by {@code err(3)} as {@code xen-cpuid: <what>: <why>}.
 */
final class XenCpuid {
  private final String argv0;
  private final boolean posixlyCorrect;
  private final FeatureTable table;
  private final Printer printer;
  private final Optional<HostModes.Target> target;

  /**
   * A command that prints {@code argv0} in its usage line and getopt messages (and its basename in
   * {@code err} messages), names bits from {@code names} and reaches the hypervisor through
   * {@code target} (empty: {@code xc_interface_open}'s, named as the OS names it).
   */
  XenCpuid(String argv0, boolean posixlyCorrect, NameTable names,
      Optional<HostModes.Target> target) {
    this.argv0 = argv0;
    this.posixlyCorrect = posixlyCorrect;
    this.table = FeatureTable.latest();
    this.printer = new Printer(table.words(), names);
    this.target = target;
  }

  /**
   * Returns the exit code after running with {@code args} (argv[1] on). Anything unexpected
   * (a bug, or the JVM out of stack or memory) is one line and exit 1, never a stack trace, which
   * comes only with {@code -v}/{@code --verbose}.
   */
  int run(String[] args, PrintWriter out, PrintWriter err) {
    try {
      return runChecked(args, out, err);
    } catch (Throwable t) {
      out.flush();
      err.print(programName() + ": internal error: " + t + "\n");
      if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
        t.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
  }

  private int runChecked(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = CommandLine.parse(argv0, args, posixlyCorrect, err);
    switch (cl.outcome()) {
      case USAGE:
        out.print(usage());
        return 0;
      case BAD_OPTION:
        // As xen-cpuid: getopt returns '?' for every bad option, and main exits 0.
        out.print("Bad option '?'\n" + usage());
        return 0;
      case ERROR:
        return fail(err, cl.error(), cl.errno());
      case RUN:
        break;
      default:
        throw new AssertionError(cl.outcome());
    }
    if (cl.mode() == CommandLine.Mode.INTERPRET) {
      interpret(cl.operands(), out, err);
      return 0;
    }
    return HostModes.run(cl, this, out, err);
  }

  /** Returns xen-cpuid's usage line (it does not mention {@code -p}). */
  String usage() {
    return "Usage: " + argv0 + " [ info | detail | <featureset>* ]\n";
  }

  /** Prints {@code err(1, what)}'s line and returns 1. */
  int fail(PrintWriter err, String what, String why) {
    err.print(programName() + ": " + what + ": " + why + "\n");
    return 1;
  }

  /** Returns the basename of argv0, which glibc's {@code err} prefixes its messages with. */
  String programName() {
    return argv0.substring(argv0.lastIndexOf('/') + 1);
  }

  FeatureTable table() {
    return table;
  }

  Printer printer() {
    return printer;
  }

  Optional<HostModes.Target> target() {
    return target;
  }

  /**
   * Decodes each operand as a featureset, as xen-cpuid's interpret mode: at most libxc's
   * featureset size in words, always labelled {@code Raw} and in detail form; an operand with no
   * word is skipped and trailing text ignored, each with a line on stderr.
   */
  private void interpret(List<String> operands, PrintWriter out, PrintWriter err) {
    StringBuilder sb = new StringBuilder(1024);
    for (String arg : operands) {
      FeaturesetScanner.Result r = FeaturesetScanner.scan(arg, table.nrWords());
      if (r.words().length() == 0) {
        complain(sb, out, err, "'" + r.rest() + "' unrecognized - skipping\n");
        continue;
      }
      if (!r.rest().isEmpty()) {
        complain(sb, out, err, "'" + r.rest() + "' unrecognized - ignoring\n");
      }
      printer.decodeFeatureset(sb, "Raw", r.words(), true);
    }
    out.print(sb);
  }

  /**
   * Prints {@code line} on stderr after what stdout has so far, so that on a terminal (where C's
   * stdout is line-buffered) the complaint comes just before the featureset it belongs to.
   */
  private static void complain(StringBuilder sb, PrintWriter out, PrintWriter err, String line) {
    if (sb.length() > 0) {
      out.print(sb);
      out.flush();
      sb.setLength(0);
    }
    err.print(line);
    err.flush();
  }
}
