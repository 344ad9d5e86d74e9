package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xencpuid.GetoptLong.HasArg;
import dev.xenlevelling.xencpuid.GetoptLong.LongOption;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;

/**
 * xen-cpuid's command line as its {@code main} reads it: getopt_long over {@code "hidvp::"} and
 * the long options, then the first operand may name the mode.
 *
 * @param outcome whether to run, or stop with the usage text or an error
 * @param mode the mode to run in (meaningful when {@code outcome} is RUN)
 * @param domid the domain of {@code -p DOMID}, empty for the system policies
 * @param operands the operands left after the mode keyword (featuresets in interpret mode)
 * @param error the message for {@link Outcome#ERROR} ({@code strtol(...)}), else empty
 * @param errno the strerror text for {@link Outcome#ERROR}, else empty
 */
record CommandLine(
    Outcome outcome, Mode mode, OptionalInt domid, List<String> operands, String error,
    String errno) {

  /** What main does after reading the options. */
  enum Outcome {
    /** Run {@link #mode}. */
    RUN,
    /** Print the usage line on stdout and exit 0 ({@code -h}). */
    USAGE,
    /** Print {@code Bad option '?'} and the usage line on stdout and exit 0 (Xen's wart). */
    BAD_OPTION,
    /** {@code err(1, ...)}: {@code xen-cpuid: <error>: <errno>} on stderr, exit 1. */
    ERROR
  }

  /** The modes; JSON and LEVELLING are this tool's additions. */
  enum Mode { INFO, DETAIL, INTERPRET, POLICY, JSON, LEVELLING }

  static final int OPT_JSON = 0x100;
  static final int OPT_LEVELLING = 0x101;

  /** Xen's long options, then this tool's (which have no short form, to stay clear of Xen's). */
  static final List<LongOption> LONG_OPTIONS = List.of(
      new LongOption("help", HasArg.NO, 'h'),
      new LongOption("info", HasArg.NO, 'i'),
      new LongOption("detail", HasArg.NO, 'd'),
      new LongOption("verbose", HasArg.NO, 'v'),
      new LongOption("policy", HasArg.OPTIONAL, 'p'),
      new LongOption("json", HasArg.NO, OPT_JSON),
      new LongOption("levelling", HasArg.NO, OPT_LEVELLING));

  /**
   * Returns the command line read from {@code args} as xen-cpuid's main reads it; getopt's own
   * messages go to {@code err} with {@code argv0} as their prefix.
   */
  static CommandLine parse(String argv0, String[] args, boolean posixlyCorrect, PrintWriter err) {
    GetoptLong g = new GetoptLong(argv0, args, "hidvp::", LONG_OPTIONS, posixlyCorrect, err);
    Mode mode = null;
    OptionalInt domid = OptionalInt.empty();
    for (int c; (c = g.next()) != GetoptLong.END; ) {
      switch (c) {
        case 'h':
          return stop(Outcome.USAGE);
        case 'i':
          mode = Mode.INFO;
          break;
        case 'd':
        case 'v':
          mode = Mode.DETAIL;
          break;
        case 'p':
          mode = Mode.POLICY;
          String arg = g.optarg().orElse(null);
          // As xen-cpuid: make "--policy $DOMID" and "-p $DOMID" work.
          if (arg == null && g.peekNextArgument().isPresent()) {
            String next = g.peekNextArgument().get();
            if (!next.isEmpty() && next.charAt(0) != '-') {
              arg = next;
              g.consumeNextArgument();
            }
          }
          if (arg != null) {
            CStrtol.Result r = CStrtol.parse(arg);
            if (r.outOfRange() || r.end() == 0) {
              // err(1, "strtol(%s,,)"): errno is 0 ("Success") unless out of range.
              return new CommandLine(Outcome.ERROR, Mode.POLICY, OptionalInt.empty(), List.of(),
                  "strtol(" + arg + ",,)",
                  r.outOfRange() ? "Numerical result out of range" : "Success");
            }
            int id = (int) r.value();   // int domid = strtol(...): the C truncates to int
            domid = id == -1 ? OptionalInt.empty() : OptionalInt.of(id);
          }
          break;
        case OPT_JSON:
          mode = Mode.JSON;
          break;
        case OPT_LEVELLING:
          mode = Mode.LEVELLING;
          break;
        default:
          return stop(Outcome.BAD_OPTION);
      }
    }
    List<String> operands = g.operands();
    if (mode == null) {
      if (operands.isEmpty()) {
        mode = Mode.INFO;
      } else if (operands.get(0).equals("info")) {
        mode = Mode.INFO;
        operands = operands.subList(1, operands.size());
      } else if (operands.get(0).equals("detail")) {
        mode = Mode.DETAIL;
        operands = operands.subList(1, operands.size());
      } else {
        mode = Mode.INTERPRET;
      }
    }
    return new CommandLine(Outcome.RUN, mode, domid, List.copyOf(operands), "", "");
  }

  private static CommandLine stop(Outcome outcome) {
    return new CommandLine(outcome, Mode.INFO, OptionalInt.empty(), List.of(), "", "");
  }
}
