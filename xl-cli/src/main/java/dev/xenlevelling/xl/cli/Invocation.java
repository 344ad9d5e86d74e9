package dev.xenlevelling.xl.cli;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.Libxl;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;

/**
 * One run of a subcommand: the global options, the command's parsed options and arguments, and
 * where to print.
 *
 * @param spec the command
 * @param verbose how many global {@code -v} were given
 * @param dryRun global {@code -N}
 * @param force global {@code -f}
 * @param line the command's parsed options
 * @param args the command's non-option arguments
 * @param out standard output
 * @param err standard error
 * @param libxl where libxl comes from
 * @param configDir the directory of xl.conf ({@code XEN_CONFIG_DIR}, else {@code /etc/xen})
 */
record Invocation(
    CommandSpec spec,
    int verbose,
    boolean dryRun,
    boolean force,
    CommandLine line,
    ImmutableList<String> args,
    PrintWriter out,
    PrintWriter err,
    LibxlSource libxl,
    Path configDir) {

  /** Opens libxl (the simulated host of the environment, or a test's). */
  @FunctionalInterface
  interface LibxlSource extends Libxl.Source {}

  /** Prints {@code message} as xl's one-line diagnostic and returns 1. */
  int fail(String message) {
    err.println(message);
    return 1;
  }
}
