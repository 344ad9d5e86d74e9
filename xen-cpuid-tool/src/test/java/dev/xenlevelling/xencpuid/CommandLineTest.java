package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xencpuid.CommandLine.Mode;
import dev.xenlevelling.xencpuid.CommandLine.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Command lines the golden data does not cover; the golden cases pin the rest. */
class CommandLineTest {
  private static String lastErr;

  private static CommandLine parse(boolean posixlyCorrect, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = CommandLine.parse("xc", args, posixlyCorrect, new PrintWriter(err, true));
    lastErr = err.toString();
    return cl;
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("no arguments", new String[] {}, Mode.INFO, List.of()),
        Arguments.of("info keyword eats itself", new String[] {"info", "x"}, Mode.INFO, List.of("x")),
        Arguments.of("detail keyword", new String[] {"detail"}, Mode.DETAIL, List.of()),
        Arguments.of("keyword only first", new String[] {"1", "info"}, Mode.INTERPRET,
            List.of("1", "info")),
        Arguments.of("options permuted before operands", new String[] {"1", "-i", "2"}, Mode.INFO,
            List.of("1", "2")),
        Arguments.of("last mode option wins", new String[] {"-p", "-d"}, Mode.DETAIL, List.of()),
        Arguments.of("--json", new String[] {"--json"}, Mode.JSON, List.of()),
        Arguments.of("--js abbreviates --json", new String[] {"--js"}, Mode.JSON, List.of()),
        Arguments.of("--levelling", new String[] {"--levelling"}, Mode.LEVELLING, List.of()),
        Arguments.of("-- keeps dashes", new String[] {"1", "--", "-2", "-i"}, Mode.INTERPRET,
            List.of("1", "-2", "-i")),
        Arguments.of("lone dash is an operand", new String[] {"-"}, Mode.INTERPRET, List.of("-")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void parse_selectsModeAndOperands(String name, String[] args, Mode mode, List<String> operands) {
    CommandLine cl = parse(false, args);
    assertEquals(Outcome.RUN, cl.outcome());
    assertEquals(mode, cl.mode());
    assertEquals(operands, cl.operands());
    assertEquals("", lastErr);
  }

  static Stream<Arguments> domids() {
    return Stream.of(
        Arguments.of("-p alone", new String[] {"-p"}, OptionalInt.empty(), List.of()),
        Arguments.of("-p N", new String[] {"-p", "3"}, OptionalInt.of(3), List.of()),
        Arguments.of("-pN", new String[] {"-p3"}, OptionalInt.of(3), List.of()),
        Arguments.of("--policy N", new String[] {"--policy", "0x10"}, OptionalInt.of(16), List.of()),
        Arguments.of("--policy=N octal", new String[] {"--policy=010"}, OptionalInt.of(8),
            List.of()),
        Arguments.of("--pol=N abbreviated", new String[] {"--pol=7"}, OptionalInt.of(7), List.of()),
        Arguments.of("-p-1 means the system policies", new String[] {"-p-1"}, OptionalInt.empty(),
            List.of()),
        Arguments.of("strtol's long cut to int", new String[] {"-p", "4294967297"},
            OptionalInt.of(1), List.of()),
        Arguments.of("trailing junk accepted", new String[] {"-p", "5junk"}, OptionalInt.of(5),
            List.of()),
        Arguments.of("leading blank accepted", new String[] {"-p", " 5"}, OptionalInt.of(5),
            List.of()),
        Arguments.of("empty argument left alone", new String[] {"-p", "", "x"},
            OptionalInt.empty(), List.of("", "x")),
        Arguments.of("-ip clusters", new String[] {"-ip", "2"}, OptionalInt.of(2), List.of()),
        Arguments.of("operand before -p stays", new String[] {"a", "-p", "2", "b"},
            OptionalInt.of(2), List.of("a", "b")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("domids")
  void parse_policy_readsDomidAsXen(String name, String[] args, OptionalInt domid,
      List<String> operands) {
    CommandLine cl = parse(false, args);
    assertEquals(Outcome.RUN, cl.outcome());
    assertEquals(Mode.POLICY, cl.mode());
    assertEquals(domid, cl.domid());
    assertEquals(operands, cl.operands());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("ambiguous empty long name", new String[] {"--=1"}, Outcome.BAD_OPTION,
            "xc: option '--=1' is ambiguous; possibilities: '--help' '--info' '--detail'"
                + " '--verbose' '--policy' '--json' '--levelling'\n"),
        Arguments.of("unrecognized with value", new String[] {"--bogus=1"}, Outcome.BAD_OPTION,
            "xc: unrecognized option '--bogus=1'\n"),
        Arguments.of("abbreviation with value", new String[] {"--he=1"}, Outcome.BAD_OPTION,
            "xc: option '--help' doesn't allow an argument\n"),
        Arguments.of("--json=1", new String[] {"--json=1"}, Outcome.BAD_OPTION,
            "xc: option '--json' doesn't allow an argument\n"),
        Arguments.of("colon is not an option", new String[] {"-:"}, Outcome.BAD_OPTION,
            "xc: invalid option -- ':'\n"),
        Arguments.of("first bad option stops", new String[] {"-z", "-y"}, Outcome.BAD_OPTION,
            "xc: invalid option -- 'z'\n"),
        Arguments.of("help after mode", new String[] {"-i", "--help"}, Outcome.USAGE, ""),
        Arguments.of("strtol out of range negative", new String[] {"-p-99999999999999999999"},
            Outcome.ERROR, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void parse_badCommandLines_asGlibc(String name, String[] args, Outcome outcome, String err) {
    CommandLine cl = parse(false, args);
    assertEquals(outcome, cl.outcome());
    assertEquals(err, lastErr);
  }

  @Test
  void parse_posixlyCorrect_stopsAtTheFirstOperand() {
    CommandLine cl = parse(true, "1", "-h");
    assertEquals(Outcome.RUN, cl.outcome());
    assertEquals(Mode.INTERPRET, cl.mode());
    assertEquals(List.of("1", "-h"), cl.operands());
    assertEquals(Outcome.USAGE, parse(false, "1", "-h").outcome());
  }

  @Test
  void parse_strtolError_carriesErrnoText() {
    CommandLine bad = parse(false, "--policy=zz");
    assertEquals("strtol(zz,,)", bad.error());
    assertEquals("Success", bad.errno());
    CommandLine range = parse(false, "-p", "0x8000000000000000");
    assertEquals("Numerical result out of range", range.errno());
  }

  @Test
  void strtol_edgeCases() {
    assertEquals(new CStrtol.Result(0, 1, false), CStrtol.parse("0x"));
    assertEquals(new CStrtol.Result(0, 1, false), CStrtol.parse("08"));
    assertEquals(new CStrtol.Result(Long.MIN_VALUE, 20, false), CStrtol.parse("-9223372036854775808"));
    assertEquals(new CStrtol.Result(Long.MAX_VALUE, 19, true), CStrtol.parse("9223372036854775808"));
    assertEquals(new CStrtol.Result(0, 0, false), CStrtol.parse("-"));
    assertEquals(new CStrtol.Result(-255, 5, false), CStrtol.parse("-0xff"));
  }
}
