package dev.xenlevelling.xc.hv.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Dumps;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuSourcesTest {
  @TempDir
  Path tmp;

  static Stream<Arguments> badYaml() {
    return Stream.of(
        Arguments.of("not a mapping", "- a\n- b\n", "p.yaml:1:1: expected a mapping of"),
        Arguments.of("unknown key", "name: x\ncolour: red\n", "p.yaml:2:1: unknown key 'colour'"),
        Arguments.of("duplicate key", "name: x\nname: y\n", "p.yaml:2:1: duplicate key 'name'"),
        Arguments.of("bad leaf", "name: x\ncpuid:\n  - \"0:0 -> 1:2:3:4\"\n",
            "p.yaml:3:5: expected \"LEAF:SUBLEAF -> EAX:EBX:ECX:EDX\""),
        Arguments.of("no cpuid", "name: x\n", "p.yaml:1:1: missing key 'cpuid' (or 'dump')"),
        Arguments.of("tags refused", "name: !!java.lang.Object x\n", "p.yaml:1:7:"),
        Arguments.of("syntax", "name: [x\n", "p.yaml:2:1:"),
        Arguments.of("alias bomb", "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            + "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", "p.yaml"),
        Arguments.of("bad microcode", "name: x\nmicrocode: y\ncpuid: []\n",
            "p.yaml:2:12: unknown microcode 'y'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badYaml")
  void profile_badInput_oneLineWithPosition(String name, String yaml, String prefix) {
    CpuSourceException e = assertThrows(CpuSourceException.class,
        () -> HostProfile.parse("p.yaml", yaml, Optional.empty()));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void profile_embeddedLeaves_bootLikeTheDump() throws Exception {
    CpuDescription d = Dumps.load("Xeon-E5-2650-v3");
    StringBuilder y = new StringBuilder("name: hsw\ndescription: Haswell-EP\ncpuid:\n");
    for (CpuidLeaf l : d.leaves()) {
      y.append("  - \"").append(LeafText.format(l)).append("\"\n");
    }
    y.append("msr:\n  \"0000010a\": \"0000000000000000\"\n");
    HostProfile p = HostProfile.parse("p.yaml", y.toString(), Optional.empty());
    assertEquals("hsw", p.name());
    Host a = Host.boot(new BootConfig(p.cpu(), "", Microcode.AS_DUMPED));
    Host b = Host.boot(new BootConfig(d, "", Microcode.AS_DUMPED));
    for (PolicyIndex i : PolicyIndex.values()) {
      assertEquals(b.policy(i), a.policy(i), i.title());
    }
  }

  @Test
  void xenCpuidText_roundTripsThroughAPolicyDump() throws Exception {
    Host h = Dumps.boot("EPYC-7713-64-Core", "");
    CpuPolicy raw = h.policy(PolicyIndex.RAW);
    StringBuilder sb = new StringBuilder("Xen reports there are maximum 120 leaves and 2 MSRs\n");
    sb.append("Raw policy: ").append(raw.toLeaves().size()).append(" leaves, 2 MSRs\n CPUID:\n");
    sb.append("  leaf     subleaf  -> eax      ebx      ecx      edx     \n");
    for (CpuidLeaf l : raw.toLeaves()) {
      if (!l.isZero()) {
        sb.append("  ").append(LeafText.format(l)).append('\n');
      }
    }
    sb.append(" MSRs:\n  index    -> value           \n");
    sb.append(String.format("  %08x -> %016x%n", 0xce, raw.platformInfo()));
    sb.append(String.format("  %08x -> %016x%n", 0x10a, raw.archCaps()));
    Path f = tmp.resolve("p.txt");
    Files.writeString(f, sb.toString());
    CpuDescription d = CpuSources.load(f.toString(), tmp).cpu();
    Host again = Host.boot(new BootConfig(d, "", Microcode.AS_DUMPED));
    assertEquals(h.featureset(PolicyIndex.HOST), again.featureset(PolicyIndex.HOST));
    assertEquals(h.levellingCaps(), again.levellingCaps());
  }

  @Test
  void xenCpuidText_garbageLine_positioned() {
    CpuSourceException e = assertThrows(CpuSourceException.class, () -> XenCpuidPolicyText.parse(
        "t", "Raw policy: 1 leaves, 0 MSRs\n CPUID:\n  nonsense\n"));
    assertTrue(e.getMessage().startsWith("t:3:1: expected a line of xen-cpuid -p output"),
        e.getMessage());
  }

  static Stream<Arguments> impossibleLeaves() {
    return Stream.of(
        Arguments.of("leaf 7 subleaf past Xen's 2", "00000007:00000005"),
        Arguments.of("leaf 4 subleaf past Xen's 5", "00000004:00000006"),
        Arguments.of("leaf without subleaves given one", "00000001:00000000"),
        Arguments.of("leaf with subleaves given none", "0000000d:ffffffff"),
        Arguments.of("basic leaf past 0xd", "00000014:ffffffff"),
        Arguments.of("extended leaf past 0x80000021", "80000022:ffffffff"));
  }

  /** Failed before the fix: such lines were read, then silently dropped at boot. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("impossibleLeaves")
  void xenCpuidText_impossibleLeaf_positionedError(String name, String leaf) {
    String text = "Raw policy: 2 leaves, 0 MSRs\n CPUID:\n"
        + "  00000000:ffffffff -> 0000000d:756e6547:6c65746e:49656e69\n"
        + "  " + leaf + " -> 00000000:00000001:00000000:00000000\n";
    CpuSourceException e = assertThrows(CpuSourceException.class,
        () -> XenCpuidPolicyText.parse("t", text));
    assertTrue(e.getMessage().startsWith("t:4:3: leaf " + leaf + " is not one a Xen policy holds"),
        e.getMessage());
  }

  @Test
  void libvirtXml_doctypeRefused() throws Exception {
    Path f = tmp.resolve("x.xml");
    Files.writeString(f, "<?xml version='1.0'?>\n<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>\n"
        + "<cpudata arch='x86'>&e;</cpudata>\n");
    CpuSourceException e = assertThrows(CpuSourceException.class,
        () -> CpuSources.load(f.toString(), tmp));
    assertEquals(CpuSourceException.Reason.SYNTAX, e.reason());
    assertTrue(e.getMessage().startsWith(f + ":2:"), e.getMessage());
  }

  @Test
  void libvirtXml_brandFromComment() {
    assertEquals("Intel(R) Xeon(R) w7-3465X", Dumps.load("Xeon-w7-3465X").brand());
    assertEquals(0x6ca8fdebL, Dumps.load("Xeon-w7-3465X").msrs().get(0x10a));
  }

  @Test
  void cpuinfo_flagsBecomeFeatures() throws Exception {
    String cpuinfo = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
        + "model name\t: Xeon\nstepping\t: 4\nflags\t\t: fpu pni sse4_1 sse4_2 avx avx2 xsave"
        + " pdpe1gb lahf_lm ht md_clear flush_l1d\naddress sizes\t: 46 bits physical, 48 bits"
        + " virtual\n\nprocessor\t: 1\n";
    CpuDescription d = LocalCpu.fromCpuinfo("ci", cpuinfo, FeatureTable.latest());
    Host h = Host.boot(new BootConfig(d, "", Microcode.AS_DUMPED));
    assertEquals(6, h.family());
    assertEquals(0x55, h.model());
    assertEquals(4, h.stepping());
    FeatureTable t = FeatureTable.latest();
    for (String f : new String[] {"fpu", "sse3", "sse4-1", "avx2", "page1gb", "lahf-lm", "htt",
        "md-clear", "l1d-flush"}) {
      assertTrue(h.featureset(PolicyIndex.RAW).contains(t.byName(f).get().index()), f);
    }
    assertEquals(46, h.policy(PolicyIndex.HOST).maxPhysAddr());
  }
}
