package dev.xenlevelling.xl.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DomainConfigParserTest {
  static final Path EXAMPLES = Path.of("..", "config-examples", "domains");

  /** Returns {@code text} parsed, named {@code t} unless it names itself (xl needs a name). */
  static DomainConfig parse(String text) throws ConfigException {
    String named = text.matches("(?s)(.*\n)?name\\s*=.*") ? text : text + "\nname = 't'\n";
    return DomainConfigParser.parse(ConfigParser.parse("t.cfg", named), CpuidParser.latest());
  }

  static Stream<Arguments> vcpus() {
    return Stream.of(
        Arguments.of("neither", "", 1, "[0]"),
        Arguments.of("vcpus only", "vcpus = 2\n", 2, "[0,1]"),
        Arguments.of("maxvcpus above vcpus", "vcpus = 2\nmaxvcpus = 4\n", 4, "[0,1]"),
        Arguments.of("maxvcpus only", "maxvcpus = 4\n", 4, "[0]"),
        Arguments.of("maxvcpus 0 is not set, as xl", "vcpus = 3\nmaxvcpus = 0\n", 3,
            "[0,1,2]"));
  }

  /** As xl 4.17: vcpus fills avail_vcpus, maxvcpus sets max_vcpus (vcpus by default). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vcpus")
  void parse_vcpusAndMaxvcpus_asLibxlsMaxAndAvail(String name, String text, long max,
      String avail) throws ConfigException {
    Map<String, Object> bInfo = bInfo(parse(text));
    assertEquals(max, bInfo.get("max_vcpus"));
    assertEquals(avail, bInfo.get("avail_vcpus").toString().replace(" ", ""));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> bInfo(DomainConfig d) {
    return (Map<String, Object>) d.toJsonTree().get("b_info");
  }

  @Test
  void parse_maxvcpusBelowVcpus_refusedAsXl() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("vcpus = 4\nmaxvcpus = 2\n"));
    assertEquals("t.cfg:2:12: xl: maxvcpus < vcpus", e.getMessage());
  }

  static Stream<Arguments> nameless() {
    return Stream.of(
        Arguments.of("empty", "", "Domain name must be specified."),
        Arguments.of("memory only", "memory = 64\n", "Domain name must be specified."),
        Arguments.of("a bad number: the name is looked at first, as xl",
            "memory = \"lots\"\n", "Domain name must be specified."),
        Arguments.of("a bad type: the type is looked at before the name, as xl",
            "type = \"xen\"\n", "t.cfg:1:8: Invalid domain type xen."));
  }

  /** As xl's parse_config_data: "Domain name must be specified." (exit 1), also under -N. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("nameless")
  void parse_noName_refusedAsXl(String name, String text, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> DomainConfigParser.parse(
        ConfigParser.parse("t.cfg", text), CpuidParser.latest()));
    assertEquals(message, e.getMessage());
  }

  static DomainConfig parseFile(Path p) throws IOException, ConfigException {
    return DomainConfigParser.parse(ConfigParser.parse(p.getFileName().toString(),
        Files.readString(p, StandardCharsets.UTF_8)), CpuidParser.latest());
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      return s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void parse_everyExampleDomain_parsesWithItsCpuid(Path file) throws Exception {
    DomainConfig d = parseFile(file);
    assertTrue(d.name().isPresent(), "name");
    assertFalse(d.cpuid().isEmpty(), "every example shows a cpuid= setting");
  }

  @Test
  void parse_tsxExamples_bothSyntaxesGiveTheSameLeaf7() throws Exception {
    DomainConfig libxl = parseFile(EXAMPLES.resolve("hvm-hide-tsx.cfg"));
    DomainConfig xend = parseFile(EXAMPLES.resolve("hvm-hide-tsx-xend.cfg"));
    assertEquals(libxl.cpuid(), xend.cpuid());
    assertEquals("xxxxxxxxxxxxxxxxxxxx0xxxxxx0xxxx",
        libxl.cpuid().cpuid().get(0).register(Register.EBX).orElseThrow());
  }

  @Test
  void parse_debianHvmExample_mapsKeysAndKeepsOthers() throws Exception {
    DomainConfig d = parseFile(Path.of("src/test/resources/dev/xenlevelling/xl/config/xlexample.hvm"));
    assertEquals(Optional.of("example.hvm"), d.name());
    assertEquals(GuestType.HVM, d.type());
    assertEquals(128, d.memoryMb());
    assertEquals(128, d.maxMemMb());
    assertEquals(2, d.vcpus());
    assertEquals(List.of("vif", "disk", "sdl"), List.copyOf(d.otherSettings().keySet()));
  }

  static Stream<Arguments> types() {
    return Stream.of(
        Arguments.of("default is pv", "", GuestType.PV),
        Arguments.of("hvm", "type = \"hvm\"", GuestType.HVM),
        Arguments.of("pvh", "type = \"pvh\"", GuestType.PVH),
        Arguments.of("prefix p means pv (strncmp quirk)", "type = \"p\"", GuestType.PV),
        Arguments.of("legacy builder", "builder = \"hvm\"", GuestType.HVM),
        Arguments.of("type wins over builder", "builder = \"hvm\"\ntype = \"pv\"", GuestType.PV));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void parse_type_asXl(String name, String text, GuestType type) throws ConfigException {
    assertEquals(type, parse(text + "\n").type());
  }

  @Test
  void parse_levellingKeys_typedAndItscDerived() throws ConfigException {
    DomainConfig d = parse("type='hvm'\nmaxmem=0x400\nhap=1\nnestedhvm=1\npae=0\n"
        + "tsc_mode=\"always_emulate\"\ndisable_migrate=0\n");
    assertEquals(1024, d.maxMemMb());
    assertEquals(Optional.of(true), d.hap());
    assertTrue(d.nestedHvmEnabled());
    assertFalse(d.paeEnabled());
    assertEquals(Optional.of(TscMode.ALWAYS_EMULATE), d.tscMode());
    assertTrue(d.invariantTsc());
  }

  @Test
  void parse_badCpuidItem_isAnErrorAtTheValueNamingItemAndReason() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("name='x'\ncpuid = \"host,sse3=0,bogus=1\"\n"));
    assertEquals("t.cfg:2:22: while parsing CPUID flag: \"bogus=1\": error #2: "
        + "unknown CPUID flag name", e.getMessage());
    assertInstanceOf(CpuidParseException.class, e.getCause());
  }

  @Test
  void parse_badXendString_pointsAtThatString() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("cpuid = [ \"1:eax=0\",\n  \"7,zz:ebx=1\" ]\n"));
    assertEquals("t.cfg:1:11: while parsing CPUID line: \"1:eax=0\": error #5: policy string"
        + " must be exactly 32 characters long", e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> parse("cpuid = [ \"1:\",\n  \"7,zz:ebx=1\" ]\n"));
    assertEquals("t.cfg:2:3: while parsing CPUID line: \"7,zz:ebx=1\": error #2: illegal"
        + " subleaf number", e.getMessage());
  }

  @Test
  void parse_firstWordNotHost_pointsAtTheValue() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse("cpuid = 'sse3=0'\n"));
    assertEquals("t.cfg:1:10: while parsing CPUID string: first word must be \"host\"",
        e.getMessage());
  }

  @Test
  void parse_badNumber_isAnErrorSayingWhatWasExpected() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("memory = \"lots\"\n"));
    assertEquals("t.cfg:1:10: parameter `memory' is not a valid number: expected a decimal,"
        + " 0x hex or 0 octal integer, got \"lots\"", e.getMessage());
  }

  @Test
  void parse_tscModeNumber_deprecatedButAccepted() throws ConfigException {
    DomainConfig d = parse("tsc_mode = 2\n");
    assertEquals(Optional.of(TscMode.NATIVE), d.tscMode());
    assertEquals(1, d.warnings().size());
  }
}
