package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenlevelling.xc.LevellingCapNames;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xencpuid.Golden417.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostModesTest {
  static Stream<Arguments> hosts() {
    return Stream.of(
        Arguments.of("Xeon Gold 6148", TestHosts.XEON_GOLD_6148, ""),
        Arguments.of("Xeon Gold 6148 without PV", TestHosts.XEON_GOLD_6148, "pv=0"),
        Arguments.of("Xeon Gold 6148 shadow, no AVX-512", TestHosts.XEON_GOLD_6148,
            "hap=0 cpuid=no-avx512f"),
        Arguments.of("Opteron 6234", TestHosts.OPTERON_6234, ""),
        Arguments.of("Opteron 6234 without HVM", TestHosts.OPTERON_6234, "hvm=0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void run_hostModes_printWhatXensFormatsGive(String name, String dump, String cmdline)
      throws XcException {
    XcInterface xc = TestHosts.boot(dump, cmdline);
    NameTable latest = NameTable.latest();
    assertEquals(new Run(ExpectedOutput.info(xc, false, latest), "", 0),
        TestHosts.run(xc, "n", "info"));
    assertEquals(new Run(ExpectedOutput.info(xc, true, latest), "", 0),
        TestHosts.run(xc, "n", "detail"));
    assertEquals(new Run(ExpectedOutput.systemPolicies(xc), "", 0),
        TestHosts.run(xc, "n", "-p"));
    if (!cmdline.contains("pv=0")) {
      int domid = xc.createDomain(DomainType.PV, false, false);
      assertEquals(new Run(ExpectedOutput.domainPolicy(xc, domid), "", 0),
          TestHosts.run(xc, "n", "-p", Integer.toString(domid)));
    }
    Run levelling = TestHosts.run(xc, "n", "--levelling");
    int caps = xc.getCpuLevellingCaps().value();
    assertTrue(levelling.stdout().startsWith("Levelling caps: 0x" + Integer.toHexString(caps)
        + (caps == 0 ? "\n" : " (" + String.join(" ", LevellingCapNames.names(caps)) + ")\n")),
        levelling.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hosts")
  void levelling_speaksOfPvGuestsOnlyWherePvIsSupported(String name, String dump,
      String cmdline) throws XcException {
    String out = TestHosts.run(TestHosts.boot(dump, cmdline), "n", "--levelling").stdout();
    boolean pv = !cmdline.contains("pv=0");
    assertEquals(pv, out.contains("PV guests on this host:"), out);
    assertEquals(!pv, out.contains("PV guests: not supported by this Xen"), out);
    assertTrue(out.endsWith("HVM guests always trap CPUID: the caps do not matter for them.\n"),
        out);
  }

  /**
   * The latest static masks (gen-cpuid.py's INIT_*_FEATURES at xen.git master c447b7308b), copied
   * as published (not computed).
   */
  private static final List<String> FACTS_STATIC = List.of(
      "Known                           bfebfbff:fffefbff:ee500800:6469bfff:0000001f:ffbfffff:fb417fff:00000780:7f9fd205:ffddef3e:ccbe1df7:f89e0d67:00000001:0000007f:00000000:01064530:7fbfffff:40000001:00000006",
      "Special                         10000200:c8200000:00000000:00000002:00000000:01002850:00000010:00000000:02000000:20000c00:00000000:40000020:00000000:00000000:00000000:00000000:100a0004:40000000:00000000",
      "PV Max                          1fc9cbf5:f6d83203:ea500800:442109e3:00000007:f1af0b39:1a405f43:00000100:64001005:ac814510:80801cb7:789c0c65:00000000:00000021:00000000:00004430:1d12e173:40000000:00000006",
      "PV Default                      1fc9cbf5:f6d83203:ea500800:442109e3:00000007:f1af0b29:02405f43:00000000:64001005:ac804410:00801c37:781c0c65:00000000:00000021:00000000:00004430:1d12e173:40000000:00000006",
      "HVM Shadow Max                  1fcbfbff:f7f83203:ea500800:442109f3:0000000f:f1bf4bbb:1a405f47:00000100:751fd005:bc814510:80881cf7:789c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
      "HVM Shadow Default              1fcbfbff:f7f83203:ea500800:442109f3:0000000f:f1bf0bab:02405f47:00000000:751fd005:bc804410:00881c37:781c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
      "HVM Hap Max                     1fcbfbff:f7fa3223:ee500800:442109f7:0000000f:f1bf4fbb:9a405f4f:00000100:751fd005:bc814510:80881cf7:789c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006",
      "HVM Hap Default                 1fcbfbff:f7fa3203:ee500800:442109f3:0000000f:f1bf0fab:82405f4f:00000000:751fd005:bc804410:00881c37:781c0d67:00000000:00000037:00000000:00004430:1d12e173:40000000:00000006");

  @Test
  void info_layoutAndValues_asXenFacts() throws XcException {
    XcInterface xc = TestHosts.boot(TestHosts.XEON_GOLD_6148, "");
    List<String> lines = Arrays.asList(TestHosts.run(xc, "n").stdout().split("\n", -1));
    assertEquals("nr_features: 19", lines.get(0));
    assertTrue(lines.get(1).startsWith("                            KEY 1d       1c "));
    assertEquals(List.of("", "Static sets:"), lines.subList(2, 4));
    assertEquals(FACTS_STATIC, lines.subList(4, 12));
    assertEquals(List.of("", "Dynamic sets:"), lines.subList(12, 14));
    List<String> dynamic = new ArrayList<>();
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      dynamic.add(String.format(Locale.ROOT, "%-24s        %s", i.title(),
          xc.getCpuFeatureset(i).format()));
    }
    assertEquals(dynamic, lines.subList(14, 20));
    assertEquals(List.of(""), lines.subList(20, lines.size()));
  }

  @Test
  void detail_everySetHasOneLinePerWord() {
    Run r = TestHosts.run(TestHosts.boot(TestHosts.XEON_GOLD_6148, ""), "n", "detail");
    String[] lines = r.stdout().split("\n");
    // nr_features, blank, Static sets:, 8 x 20 lines, blank, Dynamic sets:, 6 x 20 lines.
    assertEquals(1 + 2 + 8 * 20 + 2 + 6 * 20, lines.length);
    assertEquals("  [18] CPUID 0x80000021.ecx    ", lines[3 + 19].substring(0, 31));
    assertTrue(lines[4].startsWith("  [00] CPUID 0x00000001.edx     fpu vme de pse tsc msr pae"));
  }

  @Test
  void policy_systemPolicies_inPolicyIndexOrder_zeroLeavesHidden() throws XcException {
    XcInterface xc = TestHosts.boot(TestHosts.OPTERON_6234, "");
    String out = TestHosts.run(xc, "n", "-p").stdout();
    StringBuilder expected = new StringBuilder(
        "Xen reports there are maximum 120 leaves and 2 MSRs\n");
    for (PolicyIndex i : PolicyIndex.values()) {
      List<CpuidLeaf> leaves = xc.getCpuPolicy(i).toLeaves();
      List<MsrEntry> msrs = xc.getCpuPolicy(i).toMsrs();
      expected.append(i.title()).append(" policy: ").append(leaves.size()).append(" leaves, ")
          .append(msrs.size()).append(" MSRs\n CPUID:\n")
          .append("  leaf     subleaf  -> eax      ebx      ecx      edx     \n");
      for (CpuidLeaf l : leaves) {
        if ((l.a() | l.b() | l.c() | l.d()) != 0) {
          expected.append(String.format(Locale.ROOT, "  %08x:%08x -> %08x:%08x:%08x:%08x%n",
              l.leaf(), l.subleaf(), l.a(), l.b(), l.c(), l.d()));
        }
      }
      expected.append(" MSRs:\n  index    -> value           \n");
      for (MsrEntry m : msrs) {
        expected.append(String.format(Locale.ROOT, "  %08x -> %016x%n", m.index(), m.value()));
      }
    }
    assertEquals(expected.toString(), out);
    assertTrue(out.indexOf("PV Max policy") < out.indexOf("HVM Max policy"));
    assertTrue(out.indexOf("HVM Max policy") < out.indexOf("PV Default policy"));
  }

  @Test
  void policy_compiledOut_saysNotSupported() {
    Run r = TestHosts.run(TestHosts.boot(TestHosts.XEON_GOLD_6148, "hvm=0"), "n", "-p");
    assertTrue(r.stdout().contains("\nHVM Max policy not supported by Xen\nPV Default policy: "),
        r.stdout());
    assertTrue(r.stdout().endsWith("HVM Default policy not supported by Xen\n"), r.stdout());
    Run info = TestHosts.run(TestHosts.boot(TestHosts.XEON_GOLD_6148, "hvm=0"), "n", "-i");
    assertTrue(info.stdout().contains("\nHVM Default featureset not supported by Xen\n"));
    assertTrue(info.stdout().endsWith("\nHVM Max featureset not supported by Xen\n"));
  }

  static Stream<Arguments> equivalents() {
    return Stream.of(
        Arguments.of("info", new String[][] {{}, {"info"}, {"-i"}, {"--info"}, {"--"},
            {"info", "1"}, {"--in"}}),
        Arguments.of("detail", new String[][] {{"detail"}, {"-d"}, {"-v"}, {"--verbose"},
            {"-d", "1"}, {"--det"}}),
        Arguments.of("system policies", new String[][] {{"-p"}, {"--policy"}, {"-p", ""},
            {"-p-1"}, {"--policy=-1"}}),
        Arguments.of("domain 1", new String[][] {{"-p", "1"}, {"-p1"}, {"--policy=1"},
            {"--policy", "1"}, {"-p", "1junk"}, {"-p", "0x1"}, {"-p", "4294967297"}}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("equivalents")
  void run_equivalentCommandLines_printTheSame(String name, String[][] commandLines) {
    XcInterface xc = TestHosts.withPvDomain(TestHosts.boot(TestHosts.XEON_GOLD_6148, ""));
    Run first = TestHosts.run(xc, "n", commandLines[0]);
    assertEquals(0, first.rc());
    for (String[] args : commandLines) {
      assertEquals(first, TestHosts.run(xc, "n", args), String.join(" ", args));
    }
  }

  @Test
  void policy_noSuchDomain_errsAsXen() {
    Run r = TestHosts.run(TestHosts.boot(TestHosts.XEON_GOLD_6148, ""), "n", "-p", "7");
    assertEquals(new Run("", "xen-cpuid: xc_cpu_policy_get_domain(, 7, ): No such process\n", 1),
        r);
  }

  @Test
  void open_noHost_failsAsXenWithoutHypervisor_thenSaysWhichHostAndWhy() {
    Run r = TestHosts.run("./xc", NameTable.latest(), () -> {
      throw new XcException(Errno.ENOENT, Optional.empty(), "no host booted");
    }, "n", "info");
    assertEquals(new Run("", "xencall: error: Could not obtain handle on privileged command "
        + "interface: No such file or directory\n"
        + "xc: xc_interface_open: No such file or directory\n"
        + "xc: no host booted\n", 1), r);
    Run io = TestHosts.run("xc", NameTable.latest(), () -> {
      throw new XcException(Errno.EIO, Optional.empty(), "unreadable");
    }, "n", "--json");
    assertEquals(new Run("", "xc: xc_interface_open: Input/output error\nxc: unreadable\n", 1),
        io);
  }

  @Test
  void open_missingOrTruncatedHostDirectory_namesTheDirectoryAndCause(@TempDir Path tmp)
      throws IOException {
    Path none = tmp.resolve("nonexistent");
    Run r = TestHosts.run("xen-cpuid", NameTable.latest(), () -> XcInterface.open(none), "n",
        "info");
    assertEquals(new Run("", "xencall: error: Could not obtain handle on privileged command "
        + "interface: No such file or directory\n"
        + "xen-cpuid: xc_interface_open: No such file or directory\n"
        + "xen-cpuid: " + none + ": no simulated host here (boot one with: xensim boot " + none
        + " --cpu SOURCE)\n", 1), r);
    Files.writeString(tmp.resolve("host.json"), "{\"cpu\": {");
    Run io = TestHosts.run("xen-cpuid", NameTable.latest(), () -> XcInterface.open(tmp), "n",
        "info");
    List<String> lines = List.of(io.stderr().split("\n"));
    assertEquals(1, io.rc());
    assertEquals(2, lines.size(), io.stderr());
    assertEquals("xen-cpuid: xc_interface_open: Input/output error", lines.get(0));
    assertTrue(lines.get(1).startsWith("xen-cpuid: ") && lines.get(1).contains("host.json"),
        lines.get(1));
  }

  static Stream<Arguments> throwables() {
    return Stream.of(
        Arguments.of("stack overflow", new StackOverflowError()),
        Arguments.of("out of memory", new OutOfMemoryError("Java heap space")),
        Arguments.of("a bug", new IllegalStateException("oops")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("throwables")
  void run_unexpectedThrowable_oneLineExit1_stackTraceOnlyWithVerbose(String name,
      Throwable t) {
    HostModes.Opener thrower = () -> {
      throw sneaky(t);
    };
    assertEquals(new Run("", "xen-cpuid: internal error: " + t + "\n", 1),
        TestHosts.run("xen-cpuid", NameTable.latest(), thrower, "n", "info"));
    Run verbose = TestHosts.run("xen-cpuid", NameTable.latest(), thrower, "n", "-v");
    assertEquals(1, verbose.rc());
    assertTrue(verbose.stderr().startsWith("xen-cpuid: internal error: " + t + "\n")
        && verbose.stderr().contains("\tat "), verbose.stderr());
  }

  /** Returns {@code t} to throw where only XcException is declared (an Error or unchecked). */
  private static RuntimeException sneaky(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    return (RuntimeException) t;
  }

  @Test
  void json_agreesWithTheHypervisor_andFingerprintsBootOptions() throws Exception {
    XcInterface xc = TestHosts.boot(TestHosts.OPTERON_6234, "cpuid=no-fma4");
    JsonNode j = new ObjectMapper().readTree(TestHosts.run(xc, "node7", "--json").stdout());
    assertEquals("node7", j.get("host").asText());
    assertEquals("cpuid=no-fma4", j.get("boot_options").asText());
    assertEquals("AuthenticAMD", j.get("cpu").get("vendor").asText());
    assertEquals(0x15, j.get("cpu").get("family").asInt());
    assertEquals("[\"1cd\",\"e1cd\",\"6c\",\"7ab0\"]", j.get("levelling_caps").toString());
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      String key = HostFacts.DYNAMIC_KEYS.get(i.value());
      assertEquals(xc.getCpuFeatureset(i).format(), j.get("featuresets").get(key).get("words")
          .asText(), key);
    }
    assertTrue(!j.get("featuresets").get("host").get("features").toString().contains("\"fma4\""));
    JsonNode plain = new ObjectMapper().readTree(TestHosts.run(
        TestHosts.boot(TestHosts.OPTERON_6234, ""), "node7", "--json").stdout());
    assertNotEquals(j.get("fingerprint"), plain.get("fingerprint"));
    JsonNode again = new ObjectMapper().readTree(TestHosts.run(
        TestHosts.boot(TestHosts.OPTERON_6234, "cpuid=no-fma4"), "other", "--json").stdout());
    assertEquals(j.get("fingerprint"), again.get("fingerprint"), "the name is not fingerprinted");
  }
}
