package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {
  static final Path EXAMPLES = Path.of("..", "config-examples", "domains");

  /** A directory without xl.conf, so the machine's /etc/xen/xl.conf plays no part. */
  static final Path NO_XL_CONF = Path.of("target", "no-xen-config-dir");

  /** The exit code, stdout and stderr of one run. */
  record Result(int rc, String out, String err) {}

  static Result xl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      rc = Main.run(args, o, e, dev.xenlevelling.xl.Libxl::open, NO_XL_CONF);
    }
    return new Result(rc, out.toString(), err.toString());
  }

  static String golden(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(
        MainTest.class.getResourceAsStream("/golden/xl-cli/" + name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Returns the JSON object that starts at the first {@code key} of {@code json} with yajl's
   * beautify white space removed (the override strings in these tests have no blanks).
   */
  static String compactObject(String json, String key) {
    int start = json.indexOf(key) + key.length() - 1;
    int depth = 0;
    StringBuilder sb = new StringBuilder();
    boolean inString = false;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        inString = !inString;
      }
      if (!inString && Character.isWhitespace(c)) {
        continue;
      }
      sb.append(c);
      if (!inString && (c == '{' || c == '[')) {
        depth++;
      } else if (!inString && (c == '}' || c == ']')) {
        depth--;
        if (depth == 0) {
          break;
        }
      }
    }
    return sb.toString();
  }

  @Test
  void help_listsTheCommandTable() throws IOException {
    Result r = xl("help");
    assertEquals(new Result(0, golden("help.txt"), ""), r);
  }

  static Stream<Arguments> usage() {
    return Stream.of(
        Arguments.of("no command: help, missing argument", new String[] {}, 2, "", true),
        Arguments.of("unknown command", new String[] {"frobnicate"}, 1,
            "command not implemented\n", false),
        Arguments.of("unknown global option", new String[] {"-Q", "list"}, 2,
            "xl: unknown global option: -Q\n", false),
        Arguments.of("unknown command option", new String[] {"create", "-Z", "x.cfg"}, 2,
            "xl create: Unrecognized option: -Z (see 'xl help create')\n", false),
        Arguments.of("missing argument", new String[] {"create"}, 2,
            "'xl create' requires at least 1 argument. (see 'xl help create')\n", false),
        Arguments.of("prefix is enough", new String[] {"cr"}, 2,
            "'xl create' requires at least 1 argument. (see 'xl help create')\n", false),
        Arguments.of("missing file", new String[] {"-N", "create", "/nonexistent.cfg"}, 1,
            "Parsing config from /nonexistent.cfg\n"
                + "Failed to read config file: /nonexistent.cfg: No such file or directory\n",
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usage")
  void run_badUsage_exitCodeAndOneLine(String name, String[] args, int rc, String err,
      boolean helpOnStdout) throws IOException {
    Result r = xl(args);
    assertEquals(rc, r.rc());
    assertEquals(err, r.err());
    assertEquals(helpOnStdout ? golden("help.txt") : "", r.out());
  }

  @Test
  void createHelp_rendersUsageAndOptions() throws IOException {
    assertEquals(new Result(0, golden("help-create.txt"), ""), xl("create", "-h"));
  }

  static Stream<String> examples() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".cfg")).sorted()
          .toList().stream();
    }
  }

  /** -N create prints the configuration; pinned byte for byte by a golden file. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void dryRunCreate_example_printsDomainConfigJson(String file) throws IOException {
    Result r = xl("-N", "create", EXAMPLES.resolve(file).toString());
    assertEquals("Parsing config from " + EXAMPLES.resolve(file) + "\n", r.err());
    assertEquals(0, r.rc());
    assertEquals(golden("create-N/" + file.replace(".cfg", ".json")), r.out());
  }

  /** b_info.cpuid is what Debian's real libxl 4.17.7 parses from the same cpuid= value. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void dryRunCreate_example_cpuidIsRealLibxlsJson(String file) throws IOException {
    Result r = xl("-N", "create", "-q", EXAMPLES.resolve(file).toString());
    String oracle = golden("cpuid-oracle/" + file.replace(".cfg", ".json"));
    assertEquals(oracle.strip(), compactObject(r.out(), "\"cpuid\": {"));
  }

  @Test
  void dryRunCreate_commandLineSettings_overrideTheFile() throws IOException {
    Result r = xl("-N", "create", "-q", EXAMPLES.resolve("hvm-hide-tsx.cfg").toString(),
        "memory=4096", "cpuid=\"host,sse3=0\"");
    assertTrue(r.out().contains("\"target_memkb\": 4194304,\n"), r.out());
    assertEquals("{\"cpuid\":[{\"leaf\":1,\"ecx\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0\"}],"
        + "\"msr\":[]}", compactObject(r.out(), "\"cpuid\": {"));
  }

  @Test
  void dryRunCreate_badCpuidItem_failsNamingItemAndReason() {
    Result r = xl("-N", "create", "-q", EXAMPLES.resolve("hvm-hide-tsx.cfg").toString(),
        "cpuid=\"host,sse3=maybe\"");
    assertEquals(new Result(1, "", "command line:1:13: while parsing CPUID flag: \"sse3=maybe\":"
        + " error #3: illegal CPUID value (must be: [0|1|x|k|s])\n"), r);
  }

  @Test
  void dryRunCreate_syntaxError_pointsAtFileLineColumn() throws IOException {
    Path bad = Files.createTempFile("bad", ".cfg");
    try {
      Files.writeString(bad, "name = \"x\"\nmemory = = 3\n");
      Result r = xl("-N", "create", "-q", bad.toString());
      assertEquals(new Result(1, "", bad + ":2:10: config parsing error near `=': syntax error,"
          + " unexpected '=', expecting STRING or NUMBER or '['\n"), r);
    } finally {
      Files.delete(bad);
    }
  }
}
