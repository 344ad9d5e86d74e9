package dev.xenlevelling.xencpuid;

import static com.google.common.base.Preconditions.checkState;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A re-implementation of glibc's {@code getopt_long} (2.26 and later), which the real xen-cpuid
 * parses its command line with, so that odd command lines behave as they do under Xen.
 *
 * <p>Mirrors glibc: options are looked for in every argument, not just before the first operand
 * (argument permutation; {@code POSIXLY_CORRECT} turns it off); {@code --} ends the options; short
 * options cluster ({@code -hz}); {@code x::} takes an optional argument only when attached
 * ({@code -pabc}); long options may be abbreviated to any unique prefix ({@code --he}) and take an
 * argument only after {@code =}. Errors are glibc's messages on {@code err}, prefixed with argv[0]
 * verbatim, and {@link #next()} returns {@code '?'}.
 */
final class GetoptLong {
  /** {@code no_argument} / {@code optional_argument} (no option of xen-cpuid requires one). */
  enum HasArg { NO, OPTIONAL }

  /** One {@code struct option}: its name, whether it takes an argument and the value returned. */
  record LongOption(String name, HasArg hasArg, int val) {}

  /** What {@link #next()} returns when the options are exhausted. */
  static final int END = -1;
  /** What {@link #next()} returns for a bad option. */
  static final int BAD = '?';

  private final String argv0;
  private final String[] args;
  private final String optstring;
  private final List<LongOption> longopts;
  private final boolean requireOrder;
  private final PrintWriter err;

  /** The next argument to look at (glibc's optind, counting from args[0] = argv[1]). */
  private int optind;
  /** The rest of the current short-option cluster, or null between arguments. */
  private String nextchar;
  private Optional<String> optarg = Optional.empty();
  /** Operands skipped over so far (glibc moves them to the end; here they are collected). */
  private final List<String> skipped = new ArrayList<>();
  private List<String> operands;

  GetoptLong(String argv0, String[] args, String optstring, List<LongOption> longopts,
      boolean posixlyCorrect, PrintWriter err) {
    this.argv0 = argv0;
    this.args = args.clone();
    this.optstring = optstring;
    this.longopts = List.copyOf(longopts);
    this.requireOrder = posixlyCorrect;
    this.err = err;
  }

  /** Returns the argument of the option {@link #next()} last returned, if it had one. */
  Optional<String> optarg() {
    return optarg;
  }

  /**
   * Returns the argument after the option just returned ({@code argv[optind]}), if there is one:
   * xen-cpuid looks at it to make {@code -p DOMID} work.
   */
  Optional<String> peekNextArgument() {
    return nextchar == null && optind < args.length ? Optional.of(args[optind]) : Optional.empty();
  }

  /** Consumes the argument {@link #peekNextArgument()} returned ({@code argv[optind++]}). */
  void consumeNextArgument() {
    checkState(peekNextArgument().isPresent(), "no argument to consume");
    optind++;
  }

  /**
   * Returns the operands in the order glibc leaves them in argv from optind on, once
   * {@link #next()} has returned {@link #END}: the non-options in their original order, then
   * everything after {@code --}.
   */
  List<String> operands() {
    checkState(operands != null, "next() has not returned END yet");
    return operands;
  }

  /** Returns the next option character (or long option value), {@link #BAD} or {@link #END}. */
  int next() {
    optarg = Optional.empty();
    if (nextchar == null || nextchar.isEmpty()) {
      nextchar = null;
      while (optind < args.length && isOperand(args[optind])) {
        if (requireOrder) {
          return end(optind);
        }
        skipped.add(args[optind++]);
      }
      if (optind < args.length && args[optind].equals("--")) {
        return end(optind + 1);
      }
      if (optind == args.length) {
        return end(optind);
      }
      String arg = args[optind];
      if (arg.charAt(1) == '-') {
        return longOption(arg.substring(2));
      }
      nextchar = arg.substring(1);
    }
    char c = nextchar.charAt(0);
    nextchar = nextchar.substring(1);
    if (nextchar.isEmpty()) {
      optind++;
    }
    int at = optstring.indexOf(c);
    if (at < 0 || c == ':' || c == ';') {
      err.print(argv0 + ": invalid option -- '" + c + "'\n");
      return BAD;
    }
    if (optstring.startsWith("::", at + 1)) {
      if (!nextchar.isEmpty()) {
        optarg = Optional.of(nextchar);
        optind++;
      }
      nextchar = null;
    }
    return c;
  }

  private int end(int rest) {
    List<String> all = new ArrayList<>(skipped);
    all.addAll(Arrays.asList(args).subList(rest, args.length));
    operands = List.copyOf(all);
    optind = args.length;
    return END;
  }

  private static boolean isOperand(String arg) {
    return arg.length() < 2 || arg.charAt(0) != '-';
  }

  /** glibc's process_long_option, for {@code --name[=value]} ({@code text} is after the --). */
  private int longOption(String text) {
    optind++;
    int eq = text.indexOf('=');
    String name = eq < 0 ? text : text.substring(0, eq);
    LongOption found = null;
    for (LongOption o : longopts) {
      if (o.name().equals(name)) {
        found = o;
        break;
      }
    }
    if (found == null) {
      // The first abbreviation matched wins unless a later one differs from it; glibc then lists
      // the first and every differing one, in table order.
      List<LongOption> ambiguous = new ArrayList<>();
      for (LongOption o : longopts) {
        if (o.name().startsWith(name)) {
          if (found == null) {
            found = o;
          } else if (found.hasArg() != o.hasArg() || found.val() != o.val()) {
            if (ambiguous.isEmpty()) {
              ambiguous.add(found);
            }
            ambiguous.add(o);
          }
        }
      }
      if (!ambiguous.isEmpty()) {
        StringBuilder sb = new StringBuilder(argv0).append(": option '--").append(text)
            .append("' is ambiguous; possibilities:");
        for (LongOption o : ambiguous) {
          sb.append(" '--").append(o.name()).append('\'');
        }
        err.print(sb.append('\n'));
        return BAD;
      }
      if (found == null) {
        err.print(argv0 + ": unrecognized option '--" + text + "'\n");
        return BAD;
      }
    }
    if (eq >= 0) {
      if (found.hasArg() == HasArg.NO) {
        err.print(argv0 + ": option '--" + found.name() + "' doesn't allow an argument\n");
        return BAD;
      }
      optarg = Optional.of(text.substring(eq + 1));
    }
    return found.val();
  }
}
