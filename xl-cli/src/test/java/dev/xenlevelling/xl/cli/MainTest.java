package dev.xenlevelling.xl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
            "xl create: no config file given (see 'xl help create')\n", false),
        Arguments.of("prefix is enough", new String[] {"cr"}, 2,
            "xl create: no config file given (see 'xl help create')\n", false),
        Arguments.of("missing argument of cpuid-show", new String[] {"cpuid-show"}, 2,
            "'xl cpuid-show' requires at least 1 argument. (see 'xl help cpuid-show')\n", false),
        Arguments.of("create -c: no console", new String[] {"-N", "create", "-c", "x.cfg"}, 1,
            "xl create: -c: the simulated host has no domain consoles (not supported by the"
                + " simulated host)\n", false),
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

  /** Writes {@code bytes} to a temporary .cfg file, runs xl with it last, deletes it. */
  static Result withConfig(byte[] bytes, String... args) throws IOException {
    Path cfg = Files.createTempFile("xl", ".cfg");
    try {
      Files.write(cfg, bytes);
      String[] all = java.util.Arrays.copyOf(args, args.length + 1);
      all[args.length] = cfg.toString();
      Result r = xl(all);
      return new Result(r.rc(), r.out(), r.err().replace(cfg.toString(), "F.cfg"));
    } finally {
      Files.delete(cfg);
    }
  }

  @Test
  void dryRunCreate_100000NestedLists_oneLineLikeLibxlutil() throws IOException {
    byte[] text = ("name = 'd'\nx = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    assertEquals(new Result(1, "", "F.cfg:2:" + (5 + 4997) + ": config parsing error near `[':"
        + " memory exhausted\n"), withConfig(text, "-N", "create", "-q"));
  }

  @Test
  void dryRunCreate_deepestNestingLibxlutilReads_printsIt() throws IOException {
    byte[] text = ("name = 'd'\nx = " + "[".repeat(4996) + "]".repeat(4996) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
    Result r = withConfig(text, "-N", "create", "-q");
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().contains("\"xl_other_settings\""), r.out());
  }

  @Test
  void dryRunCreate_latin1CommentAndStrings_readAsLibxlutilDoes() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("# Gr".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {(byte) 0xfc, (byte) 0xdf, 'e', '\n'});
    b.writeBytes("name = \"caf".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {(byte) 0xe9, '"', '\n'});
    b.writeBytes("extra = \"".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, '"', '\n'});
    Result r = withConfig(b.toByteArray(), "-N", "create", "-q");
    assertEquals(new Result(0, r.out(), ""), r);
    // The lone surrogates stand for the bytes; ByteTransparentWriter prints them back as such.
    assertTrue(r.out().contains("\"name\": \"caf\udce9\""), r.out());
    assertTrue(r.out().contains("\"extra\": \"\udcff\udcfe\""), r.out());
  }

  @Test
  void dryRunCreate_noName_refusedAsXl() throws IOException {
    assertEquals(new Result(1, "", "Domain name must be specified.\n"),
        withConfig("memory = 64\n".getBytes(StandardCharsets.US_ASCII), "-N", "create", "-q"));
  }

  @Test
  void dryRunCreate_maxvcpus_maxAndAvailAsLibxl() throws IOException {
    Result r = withConfig("name = 'd'\nvcpus = 2\nmaxvcpus = 4\n"
        .getBytes(StandardCharsets.US_ASCII), "-N", "create", "-q");
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().contains("\"max_vcpus\": 4,\n"), r.out());
    assertEquals("[0,1]", compactObject(r.out(), "\"avail_vcpus\": ["));
  }

  @Test
  void dryRunCreate_configByDashF_asXl() throws IOException {
    Path f = EXAMPLES.resolve("hvm-hide-tsx.cfg");
    Result byArg = xl("-N", "create", "-q", f.toString());
    assertEquals(byArg, xl("-N", "create", "-q", "-f", f.toString()));
    assertEquals(byArg, xl("-N", "create", "-q", "--defconfig=" + f));
  }

  @Test
  void run_unexpectedThrowable_oneLineExit1_stackTraceOnlyWithVerbose() {
    for (Throwable t : new Throwable[] {new StackOverflowError(), new OutOfMemoryError("heap"),
        new IllegalStateException("bug")}) {
      Invocation.LibxlSource thrower = () -> {
        if (t instanceof Error e) {
          throw e;
        }
        throw (RuntimeException) t;
      };
      StringWriter err = new StringWriter();
      int rc;
      try (PrintWriter o = new PrintWriter(new StringWriter());
          PrintWriter e = new PrintWriter(err)) {
        rc = Main.run(new String[] {"list"}, o, e, thrower, NO_XL_CONF);
      }
      assertEquals(1, rc);
      assertEquals("xl list: internal error: " + t + "\n", err.toString());
      StringWriter verr = new StringWriter();
      try (PrintWriter o = new PrintWriter(new StringWriter());
          PrintWriter e = new PrintWriter(verr)) {
        rc = Main.run(new String[] {"-v", "list"}, o, e, thrower, NO_XL_CONF);
      }
      assertEquals(1, rc);
      assertTrue(verr.toString().startsWith("xl list: internal error: " + t + "\n")
          && verr.toString().contains("\tat "), verr.toString());
    }
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
