package dev.xenlevelling.xl.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The grammar against what Debian's real libxlutil 4.17 answers (checked through
 * {@code xlu_cfg_readdata} / {@code xlu_cfg_get_string} / {@code xlu_cfg_get_list}).
 */
class ConfigParserTest {
  /** Returns the value of {@code v} written compactly: atoms bare, lists as [a,b]. */
  static String show(ConfigValue v) {
    if (v instanceof ConfigValue.Atom a) {
      return a.text();
    }
    return ((ConfigValue.ListValue) v).items().stream().map(ConfigParserTest::show)
        .collect(Collectors.joining(",", "[", "]"));
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("number and string", "a = 1\nb = \"x\"\n", "a=1 b=x"),
        Arguments.of("no final newline", "a = 1", "a=1"),
        Arguments.of("dots in keys", "a.b_c = 1\n", "a.b_c=1"),
        Arguments.of("nested lists, blank lines, trailing comma",
            "a = [1, [2,3],\n\n  \"x\",\n]\n", "a=[1,[2,3],x]"),
        Arguments.of("escapes", "a = \"x\\\"y\\tz\\\\\"\n", "a=x\"y\tz\\"),
        Arguments.of("single quotes", "a = 'x\\'y'\n", "a=x'y"),
        Arguments.of("empty lists", "a = []\nb = [\n]\n", "a=[] b=[]"),
        Arguments.of("semicolons", "a = 1;b=2;\n", "a=1 b=2"),
        Arguments.of("append lists", "a = [1]\na += [2]\n", "a=[1,2]"),
        Arguments.of("append strings", "a = \"x\"\na += \"y\"\n", "a=xy"),
        Arguments.of("comments", "a = 1 # c\n#x\n", "a=1"),
        Arguments.of("later wins", "a = 1\na = 2\n", "a=2"),
        Arguments.of("newline before comma", "a = [1\n,2]\n", "a=[1,2]"),
        Arguments.of("empty statements", ";;\n\n a=1\n", "a=1"),
        Arguments.of("number text kept", "a = 0x\nb = 09\nc = 12ab\n", "a=0x b=09 c=12ab"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void parse_goodConfig_givesLibxlutilsValues(String name, String text, String expected)
      throws ConfigException {
    Config c = ConfigParser.parse("test.cfg", text);
    String got = c.settings().values().stream().map(s -> s.name() + "=" + show(s.value()))
        .collect(Collectors.joining(" "));
    assertEquals(expected, got);
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("upper-case key", "Memory = 1\n",
            "test.cfg:1:1: config parsing error near `Memory': lexical error"),
        Arguments.of("two settings on a line", "a = 1 b = 2\n",
            "test.cfg:1:7: config parsing error near `b': syntax error, unexpected IDENT,"
                + " expecting NEWLINE or ';'"),
        Arguments.of("python", "a = -1\n",
            "test.cfg:1:5: config parsing error near `-1': lexical error (the config file looks"
                + " like it contains Python code, which xl does not support)"),
        Arguments.of("empty list item", "a = [1,,2]\n",
            "test.cfg:1:8: config parsing error near `,': syntax error, unexpected ',',"
                + " expecting STRING or NUMBER or '[' or ']'"),
        Arguments.of("list += string", "a = \"x\"\na += [1]\n",
            "test.cfg:2:6: can't add [list] to \"string\" or vice versa"),
        Arguments.of("missing value", "a = \n",
            "test.cfg:1:5: config parsing error near <newline>: syntax error, unexpected"
                + " NEWLINE, expecting STRING or NUMBER or '['"),
        Arguments.of("string over two lines", "a = \"x\ny\"\n",
            "test.cfg:1:5: config parsing error near `\"x': lexical error (unterminated string:"
                + " expected \" before the end of the line)"),
        Arguments.of("double equals", "a==1\n",
            "test.cfg:1:3: config parsing error near `=': syntax error, unexpected '=',"
                + " expecting STRING or NUMBER or '['"),
        Arguments.of("unclosed list", "a = 1\n  b = [ 1, 2\n",
            "test.cfg:3:1: config parsing error near end of file: syntax error, unexpected $end,"
                + " expecting ',' or ']'"),
        Arguments.of("hex escape", "a = \"x\\x41y\"\n",
            "test.cfg:1:7: config parsing error near `\\x': numeric character escapes are not"
                + " supported (libxlutil never stores them); expected one of"
                + " \\\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v"),
        Arguments.of("bad escape", "a = \"x\\qy\"\n",
            "test.cfg:1:7: config parsing error near `\\q': invalid character after backslash"
                + " in quoted string; expected one of \\\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void parse_badConfig_saysWhereAndWhatWasExpected(String name, String text, String message) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigParser.parse("test.cfg", text));
    assertEquals(message, e.getMessage());
  }

  /**
   * Nesting at the edge of libxlutil's parser stack (bison's YYMAXDEPTH 10000): per shape, the
   * deepest nesting the real libxlutil 4.17 reads and, one deeper, its message (found by
   * bisection with {@code xlu_cfg_readdata}; libxlutil prints no column).
   */
  static Stream<Arguments> deep() {
    return Stream.of(
        Arguments.of("empty lists", (IntFunction<String>) n -> "x=" + "[".repeat(n)
            + "]".repeat(n), 4996, "1:" + (3 + 4997) + ": config parsing error near `]'"),
        Arguments.of("an atom innermost", (IntFunction<String>) n -> "x=" + "[".repeat(n) + "1"
            + "]".repeat(n), 4996, "1:" + (3 + 4997) + ": config parsing error near `1'"),
        Arguments.of("after a first item", (IntFunction<String>) n -> "x=[1," + "[".repeat(n)
            + "]".repeat(n) + "]", 4994, "1:" + (6 + 4995) + ": config parsing error near `]'"),
        Arguments.of("a newline after each '['", (IntFunction<String>) n -> "x="
            + "[\n".repeat(n) + "]".repeat(n), 4996,
            "4998:1: config parsing error near `]'"),
        Arguments.of("an item and a comma at each level", (IntFunction<String>) n -> "x="
            + "[1,".repeat(n) + "]".repeat(n), 1999,
            "1:" + (3 + 3 * 1999) + ": config parsing error near `['"),
        Arguments.of("a trailing comma innermost", (IntFunction<String>) n -> "x="
            + "[".repeat(n) + "1,]" + "]".repeat(n - 1), 4996,
            "1:" + (3 + 4997) + ": config parsing error near `1'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deep")
  void parse_nestingPastLibxlutilsStack_memoryExhaustedWhereLibxlutilSaysIt(String name,
      IntFunction<String> text, int deepestGood, String where) throws ConfigException {
    ConfigParser.parse("deep.cfg", text.apply(deepestGood));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigParser.parse("deep.cfg", text.apply(deepestGood + 1)));
    assertEquals("deep.cfg:" + where + ": memory exhausted", e.getMessage());
  }

  @Test
  void parse_100000NestedLists_refusedInOneLineWithoutStackOverflow() {
    String text = "x=" + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigParser.parse("deep.cfg", text));
    assertEquals("deep.cfg:1:" + (3 + 4997) + ": config parsing error near `[': memory exhausted",
        e.getMessage());
  }

  static Stream<Arguments> bytes() {
    return Stream.of(
        Arguments.of("Latin-1 comment", new byte[] {'#', ' ', 'G', 'r', (byte) 0xfc,
            (byte) 0xdf, 'e', '\n', 'a', '=', '1', '\n'}, "1"),
        Arguments.of("Latin-1 string", new byte[] {'a', '=', '"', 'c', 'a', 'f', (byte) 0xe9,
            '"', '\n'}, "caf\udce9"),
        Arguments.of("bytes ff fe", new byte[] {'a', '=', '"', (byte) 0xff, (byte) 0xfe, '"'},
            "\udcff\udcfe"),
        Arguments.of("UTF-8 string", "a=\"Gr\u00fc\u00dfe \u2713\"\n"
            .getBytes(StandardCharsets.UTF_8), "Gr\u00fc\u00dfe \u2713"),
        Arguments.of("UTF-8 then a stray byte", new byte[] {'a', '=', '\'', (byte) 0xc3,
            (byte) 0xa9, (byte) 0xc3, '\''}, "\u00e9\udcc3"));
  }

  /**
   * As libxlutil, any byte is text (Debian's libxlutil 4.17 reads all of these): a value's bytes
   * come back as characters where they are UTF-8, else one lone surrogate per byte.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("bytes")
  void parse_anyBytes_readAndValueKeepsTheBytes(String name, byte[] file, String value)
      throws ConfigException {
    Config c = ConfigParser.parseDecoded("b.cfg", ConfigParser.decode(file), Config.empty());
    assertEquals(value, show(c.get("a").orElseThrow().value()));
  }

  /** Text given as characters (xl.conf, read as UTF-8) is kept as it is. */
  @Test
  void parse_characters_keptAsTheyAre() throws ConfigException {
    Config c = ConfigParser.parse("xl.conf", "a = \"/etc/xen/pol\u00ed\u2713.yaml\"\n");
    assertEquals("/etc/xen/pol\u00ed\u2713.yaml", show(c.get("a").orElseThrow().value()));
  }

  @Test
  void bytesToText_commandLineCharacters_keptAsTheyAre() {
    assertEquals("caf\u00e9", ConfigParser.bytesToText(ConfigParser.fromChars("caf\u00e9")));
    assertEquals("\u00e9\u2713",
        ConfigParser.bytesToText(ConfigParser.fromChars("\u00e9\u2713")));
  }

  @Test
  void parse_commandLineOverride_laterWinsAndAppends() throws ConfigException {
    Config file = ConfigParser.parse("d.cfg", "memory = 128\nvif = ['a']\nname = \"x\"\n");
    Config c = ConfigParser.parse("<command line>", "memory=256\nvif+=['b']\n", file);
    assertEquals(List.of("memory", "vif", "name"), List.copyOf(c.settings().keySet()));
    assertEquals("256", show(c.get("memory").orElseThrow().value()));
    assertEquals("[a,b]", show(c.get("vif").orElseThrow().value()));
    assertEquals("<command line>:1:1", c.get("memory").orElseThrow().position().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"xlexample.hvm", "xlexample.pvlinux", "xlexample.pvhlinux"})
  void parse_debianExamples_parse(String file) throws IOException, ConfigException {
    String text;
    try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream(file), file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Config c = ConfigParser.parse(file, text);
    assertEquals("[/dev/" + (file.equals("xlexample.pvhlinux") ? "zvol/tank" : "vg")
        + "/guest-volume,raw,xvda,rw]", show(c.get("disk").orElseThrow().value()));
    assertEquals("[]", show(c.get("vif").orElseThrow().value()));
  }
}
