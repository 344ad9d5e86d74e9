package dev.xenlevelling.xl.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.domain.GuestType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class XlConfTest {
  static final Path DIR = Path.of("/etc/xen");

  @Test
  void parse_everyKey() throws Exception {
    XlConf c = XlConf.parse("xl.conf", "autoballoon=\"off\"\n"
        + "vm.cpuid = \"host,avx512f=0\"\n"
        + "vm.pv.cpuid = [ \"0x00000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0\" ]\n"
        + "vm.hvm.cpuid = \"host,itsc=1\"\n"
        + "vm.cpuid_policy = \"pool.yaml\"\n"
        + "vm.cpuid_policy_strict = 1\n", DIR);
    assertEquals(CpuidParser.latest().parseLibxlString("host,avx512f=0"),
        c.cpuid().orElseThrow().list());
    assertEquals("vm.pv.cpuid", c.typeCpuid(GuestType.PV).orElseThrow().key());
    assertEquals("vm.hvm.cpuid", c.typeCpuid(GuestType.PVH).orElseThrow().key(),
        "PVH guests get Xen's HVM policies");
    assertEquals(Path.of("/etc/xen/pool.yaml"), c.policy().orElseThrow().path());
    assertEquals("xl.conf:5:19", c.policy().get().position().toString());
    assertTrue(c.strict());
    assertTrue(c.hasCpuDefaults());
  }

  @Test
  void parse_absolutePolicyPath_keptAndNoCpuKeysMeansNoDefaults() throws Exception {
    XlConf c = XlConf.parse("xl.conf", "vm.cpuid_policy = '/srv/p.yaml'\n", DIR);
    assertEquals(Path.of("/srv/p.yaml"), c.policy().orElseThrow().path());
    assertFalse(c.strict());
    assertFalse(XlConf.parse("xl.conf", "autoballoon=0\nvm.cpumask=\"0-3\"\n", DIR)
        .hasCpuDefaults());
  }

  @Test
  void load_missingXlConf_isNoDefaults(@TempDir Path dir) throws Exception {
    assertEquals(XlConf.none(dir.resolve("xl.conf").toString()), XlConf.load(dir));
  }

  @Test
  void load_readsTheFileInTheDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("xl.conf"), "vm.cpuid_policy = \"pool.yaml\"\n");
    assertEquals(dir.resolve("pool.yaml"), XlConf.load(dir).policy().orElseThrow().path());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("bad cpuid name", "vm.cpuid = \"host,avx513=0\"\n",
            "xl.conf:1:18: vm.cpuid: while parsing CPUID flag: \"avx513=0\": error #2: unknown"
                + " CPUID flag name"),
        Arguments.of("first word not host", "vm.hvm.cpuid = \"avx=0\"\n",
            "xl.conf:1:17: vm.hvm.cpuid: while parsing CPUID string: first word must be \"host\""),
        Arguments.of("bad xend string", "vm.pv.cpuid = [ \"0x1:ecx=1\" ]\n",
            "xl.conf:1:17: vm.pv.cpuid: while parsing CPUID line: \"0x1:ecx=1\": error #5:"
                + " policy string must be exactly 32 characters long"),
        Arguments.of("policy path a number", "vm.cpuid_policy = 3\n",
            "xl.conf:1:19: vm.cpuid_policy: expected the policy file's path as a string"
                + " (\"/etc/xen/pool.yaml\")"),
        Arguments.of("policy path a list", "vm.cpuid_policy = [ \"a\" ]\n",
            "xl.conf:1:19: vm.cpuid_policy: expected the policy file's path as a string"
                + " (\"/etc/xen/pool.yaml\")"),
        Arguments.of("strict not 0 or 1", "vm.cpuid_policy_strict = \"yes\"\n",
            "xl.conf:1:26: vm.cpuid_policy_strict: expected 0 or 1, found \"yes\""),
        Arguments.of("grammar", "vm.cpuid = \n",
            "xl.conf:1:12: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void parse_rejects_withFileLineColumnAndKey(String name, String text, String message) {
    DefaultsException e = assertThrows(DefaultsException.class,
        () -> XlConf.parse("xl.conf", text, DIR));
    assertEquals(DefaultsException.Reason.XL_CONF, e.reason());
    assertEquals(message, e.getMessage());
  }

  @Test
  void parse_everyErrorIsOneLine() {
    for (String t : List.of("vm.cpuid = [ [ ] ]\n", "vm.cpuid = 'host,avx'\n")) {
      DefaultsException e = assertThrows(DefaultsException.class,
          () -> XlConf.parse("xl.conf", t, DIR));
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }

  @Test
  void parse_misspeltCpuKeys_warnWithFileLineAndTheKnownKeys() throws Exception {
    XlConf c = XlConf.parse("xl.conf", "autoballoon = \"off\"\nvm.cpuid_polciy = \"p.yaml\"\n"
        + "vm.pvh.cpuid = \"host\"\nvm.cpumask = [\"0-3\"]\n", Path.of("/etc/xen"));
    assertEquals(java.util.List.of(
        "warning: xl.conf:2:1: unknown key vm.cpuid_polciy ignored (xl.conf's CPU keys are"
            + " vm.cpuid, vm.pv.cpuid, vm.hvm.cpuid, vm.cpuid_policy, vm.cpuid_policy_strict)",
        "warning: xl.conf:3:1: unknown key vm.pvh.cpuid ignored (xl.conf's CPU keys are"
            + " vm.cpuid, vm.pv.cpuid, vm.hvm.cpuid, vm.cpuid_policy, vm.cpuid_policy_strict)"),
        c.warnings());
    assertFalse(c.hasCpuDefaults());
  }
}
