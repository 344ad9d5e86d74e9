package dev.xenlevelling.xl.cli;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.defaults.XlConf;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * The {@code xl} command: global options, the command table, then one command. Exit codes as
 * xl: 0 success (and help), 1 failed operation or unknown command, 2 bad option or missing
 * arguments.
 */
public final class Main {
  private static final Options GLOBAL = new Options()
      .addOption(Option.builder("v").desc("verbose (repeat for more)").build())
      .addOption(Option.builder("N").desc("dry run: print what would be done").build())
      .addOption(Option.builder("f").desc("force execution").build());

  /** The stack of the thread xl runs on. */
  private static final long STACK_BYTES = 64L << 20;

  private Main() {}

  /** Runs xl with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, Libxl::open, XlConf.configDir(System.getenv()));
  }

  /**
   * Runs xl over the libxl {@code libxl} opens, with xl.conf in {@code configDir} (tests give an
   * in-memory host and their own directory).
   */
  static int run(String[] args, PrintWriter out, PrintWriter err,
      Invocation.LibxlSource libxl, Path configDir) {
    int[] rc = {1};
    Throwable[] thrown = {null};
    // On a thread of its own with a deep stack: a value nested as deep as libxlutil allows
    // (about 5,000 lists) is printed recursively (JSON), deeper than a default stack goes.
    Thread t = new Thread(null, () -> {
      try {
        rc[0] = dispatch(args, out, err, libxl, configDir);
      } catch (Throwable e) {
        thrown[0] = e;
      }
    }, "xl", STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thrown[0] = e;
    }
    if (thrown[0] != null) {
      // Outside any command (options, lookup): one line as well.
      return internalError("xl", thrown[0], Arrays.asList(args).contains("-v"), out, err);
    }
    return rc[0];
  }

  /**
   * Prints an unexpected throwable (a bug, or the JVM out of stack or memory: never bad input,
   * which is reported as such) as one line, with the stack trace only under {@code -v}; returns 1.
   */
  private static int internalError(String who, Throwable t, boolean verbose, PrintWriter out,
      PrintWriter err) {
    out.flush();
    err.println(who + ": internal error: " + t);
    if (verbose) {
      t.printStackTrace(err);
    }
    return 1;
  }

  private static int dispatch(String[] args, PrintWriter out, PrintWriter err,
      Invocation.LibxlSource libxl, Path configDir) {
    CommandLine global;
    try {
      // As xl's getopt("+vfN"): global options stop at the first non-option (the command).
      global = new DefaultParser().parse(GLOBAL, args, true);
    } catch (ParseException e) {
      err.println("xl: unknown global option: " + e.getMessage());
      return 2;
    }
    List<String> rest = global.getArgList();
    if (rest.isEmpty()) {
      out.print(CommandTable.help());
      return 2;
    }
    String name = rest.get(0);
    if (name.startsWith("-") && !name.equals("-")) {
      err.println("xl: unknown global option: " + name);
      return 2;
    }
    if (name.equals("help")) {
      return help(rest, out, err);
    }
    CommandTable.Lookup found = CommandTable.lookup(name);
    if (found.spec().isEmpty()) {
      err.println(found.candidates().isEmpty() ? "command not implemented"
          : "command \"" + name + "\" is ambiguous: " + CommandTable.names(found.candidates()));
      return 1;
    }
    CommandSpec spec = found.spec().get();
    int verbose = 0;
    for (Option o : global.getOptions()) {
      if (o.getOpt().equals("v")) {
        verbose++;
      }
    }
    boolean dryRun = global.hasOption("N");
    if (dryRun && !spec.canDryrun()) {
      err.println("command does not implement -N (dryrun) option");
      return 1;
    }
    CommandLine line;
    try {
      line = new DefaultParser().parse(spec.options(),
          rest.subList(1, rest.size()).toArray(new String[0]));
    } catch (ParseException e) {
      err.println("xl " + spec.name() + ": " + e.getMessage() + " (see 'xl help "
          + spec.name() + "')");
      return 2;
    }
    if (line.hasOption("h")) {
      out.print(CommandTable.help(spec));
      return 0;
    }
    if (line.getArgList().size() < spec.minArgs()) {
      err.println("'xl " + spec.name() + "' requires at least " + spec.minArgs() + " argument"
          + (spec.minArgs() > 1 ? "s" : "") + ". (see 'xl help " + spec.name() + "')");
      return 2;
    }
    Invocation inv = new Invocation(spec, verbose, dryRun, global.hasOption("f"), line,
        ImmutableList.copyOf(line.getArgList()), out, err, libxl, configDir);
    try {
      return spec.newCommand().run(inv);
    } catch (Throwable t) {
      return internalError("xl " + spec.name(), t, verbose > 0, out, err);
    }
  }

  /** {@code xl help [COMMAND]}, as xl's help(). */
  private static int help(List<String> rest, PrintWriter out, PrintWriter err) {
    if (rest.size() < 2) {
      out.print(CommandTable.help());
      return 0;
    }
    CommandTable.Lookup found = CommandTable.lookup(rest.get(1));
    if (found.spec().isEmpty()) {
      err.println("command \"" + rest.get(1) + "\" not implemented");
      return 1;
    }
    out.print(CommandTable.help(found.spec().get()));
    return 0;
  }

  /** Runs xl and exits with its code. */
  public static void main(String[] args) {
    // UTF-8, but config bytes that are not UTF-8 go out as they came in (ByteTransparentWriter).
    PrintWriter out = new PrintWriter(new ByteTransparentWriter(System.out), false);
    PrintWriter err = new PrintWriter(new ByteTransparentWriter(System.err), true);
    int rc = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(rc);
  }
}
