package dev.xenlevelling.xencpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xencpuid.Golden417.Case;
import dev.xenlevelling.xencpuid.Golden417.Run;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our xen-cpuid against every case captured from Debian's real Xen 4.17.7 xen-cpuid: with the
 * 4.17.7 name table, stdout, stderr and the exit code must be byte-identical, except in the cases
 * listed in {@link #DEVIATIONS}, where we deliberately behave as the latest Xen instead.
 */
class XenCpuidGoldenTest {
  /** Why a case may differ from 4.17.7; each deviating case is checked against its own output. */
  enum Reason {
    /**
     * Xen 4.18+ also separates featureset words with '-' (c/s "tools/xen-cpuid: Accept '-' as a
     * separator"); 4.17.7 stops at the '-' and ignores the rest. We follow the latest.
     */
    DASH_SEPARATOR,
    /**
     * The real tool ran with no hypervisor and failed in xc_interface_open; ours always has the
     * simulated one, so info, detail and -p print its host (here the Xeon Gold 6148 host of
     * {@link Golden417#run}, with one PV domain), as {@link ExpectedOutput} re-states Xen's
     * formats.
     */
    SIMULATED_HYPERVISOR
  }

  /**
   * For each SIMULATED_HYPERVISOR case, what it must print: {@code info}, {@code detail},
   * {@code policy} (the system policies) or {@code domain-1}.
   */
  static final Map<String, String> HOST_OUTPUT = Map.ofEntries(
      Map.entry("opt-i", "info"),
      Map.entry("opt-info", "info"),
      Map.entry("mode-info", "info"),
      Map.entry("mode-info-extra", "info"),
      Map.entry("mode-noargs", "info"),
      Map.entry("mode-dashdash-only", "info"),
      Map.entry("argv0-short-noargs", "info"),
      Map.entry("opt-d", "detail"),
      Map.entry("opt-detail", "detail"),
      Map.entry("opt-v", "detail"),
      Map.entry("opt-verbose", "detail"),
      Map.entry("opt-d-featureset", "detail"),
      Map.entry("mode-detail", "detail"),
      Map.entry("opt-p", "policy"),
      Map.entry("opt-policy", "policy"),
      Map.entry("opt-p-empty", "policy"),
      Map.entry("opt-p-1", "domain-1"),
      Map.entry("opt-p1", "domain-1"),
      Map.entry("opt-policy-eq-1", "domain-1"),
      Map.entry("opt-p-1junk", "domain-1"));

  /** Every case where our tool deliberately differs from the 4.17.7 oracle, with the reason. */
  static final Map<String, Reason> DEVIATIONS = deviations();

  private static Map<String, Reason> deviations() {
    Map<String, Reason> m = new java.util.HashMap<>(Map.of(
        "odd-dash-separator", Reason.DASH_SEPARATOR,
        "odd-dash-separator-19", Reason.DASH_SEPARATOR,
        "odd-19-dash-mixed", Reason.DASH_SEPARATOR,
        "multi-static-and-garbage", Reason.DASH_SEPARATOR,
        // -p 0x10: domain 16 does not exist on the simulated host.
        "opt-p-hex", Reason.SIMULATED_HYPERVISOR));
    HOST_OUTPUT.keySet().forEach(id -> m.put(id, Reason.SIMULATED_HYPERVISOR));
    return Map.copyOf(m);
  }

  static Stream<Arguments> identicalCases() {
    return Golden417.cases().values().stream()
        .filter(c -> !DEVIATIONS.containsKey(c.id()))
        .map(c -> Arguments.of(c.id(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("identicalCases")
  void run_names417_matchesRealXen4177ByteForByte(String name, Case c) {
    Run r = Golden417.run(c, Golden417.names());
    assertEquals(c.stdout(), r.stdout(), "stdout");
    assertEquals(c.stderr(), r.stderr(), "stderr");
    assertEquals(c.rc(), r.rc(), "exit code");
  }

  private static final String RAW_1_2 = "Raw                             00000001:00000002\n"
      + "  [00] CPUID 0x00000001.edx     fpu\n"
      + "  [01] CPUID 0x00000001.ecx     pclmulqdq\n";

  static Stream<Arguments> deviatingCases() {
    Map<String, Case> all = Golden417.cases();
    Case ones19 = all.get("ones-19");
    Case multi = all.get("multi-static-and-garbage");
    // multi-...: the real tool reads "1-2" as 00000001 and complains about "-2"; we read 2 words.
    String raw1 = "Raw                             00000001\n  [00] CPUID 0x00000001.edx     fpu\n";
    assertTrue(multi.stdout().endsWith(raw1), "multi-static-and-garbage ends with its '1-2' word");
    String dashLine = "'-2' unrecognized - ignoring\n";
    assertTrue(multi.stderr().endsWith(dashLine), "multi-static-and-garbage complains about -2");
    return Stream.of(
        Arguments.of("odd-dash-separator", all.get("odd-dash-separator"),
            "Raw                             178bfbff:f6d8320b\n"
                + "  [00] CPUID 0x00000001.edx     fpu vme de pse tsc msr pae mce cx8 apic sysenter"
                + " mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 htt\n"
                + "  [01] CPUID 0x00000001.ecx     sse3 pclmulqdq monitor ssse3 fma cx16 sse41 sse42"
                + " movebe popcnt aesni xsave avx f16c rdrnd hyper\n",
            ""),
        // 19 words of ffffffff joined by '-' read as the real tool reads them joined by ':'.
        Arguments.of("odd-dash-separator-19", all.get("odd-dash-separator-19"),
            ones19.stdout(), ones19.stderr()),
        Arguments.of("odd-19-dash-mixed", all.get("odd-19-dash-mixed"),
            "Raw                             00000001:00000002:00000003:00000004\n"
                + "  [00] CPUID 0x00000001.edx     fpu\n"
                + "  [01] CPUID 0x00000001.ecx     pclmulqdq\n"
                + "  [02] CPUID 0x80000001.edx     fpu vme\n"
                + "  [03] CPUID 0x80000001.ecx     svm\n",
            ""),
        Arguments.of("multi-static-and-garbage", multi,
            multi.stdout().substring(0, multi.stdout().length() - raw1.length()) + RAW_1_2,
            multi.stderr().substring(0, multi.stderr().length() - dashLine.length())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deviatingCases")
  void run_dashSeparator_readsWordsAsLatestXen(String name, Case c, String stdout, String stderr) {
    assertEquals(Reason.DASH_SEPARATOR, DEVIATIONS.get(name));
    Run real = new Run(c.stdout(), c.stderr(), c.rc());
    Run r = Golden417.run(c, Golden417.names());
    assertTrue(!r.equals(real), "a listed deviation must actually deviate");
    assertEquals(stdout, r.stdout(), "stdout");
    assertEquals(stderr, r.stderr(), "stderr");
    assertEquals(0, r.rc(), "exit code");
  }

  static Stream<Arguments> hostCases() {
    return HOST_OUTPUT.keySet().stream().sorted()
        .map(id -> Arguments.of(id, Golden417.cases().get(id), HOST_OUTPUT.get(id)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostCases")
  void run_simulatedHypervisor_printsTheHostInsteadOfFailing(String name, Case c, String mode)
      throws XcException {
    assertEquals(Reason.SIMULATED_HYPERVISOR, DEVIATIONS.get(name));
    assertTrue(c.stderr().contains("xc_interface_open: No such file or directory"), "real: no Xen");
    Run r = Golden417.run(c, Golden417.names());
    XcInterface host = Golden417.host();
    NameTable names = Golden417.names();
    String expected;
    switch (mode) {
      case "info": expected = ExpectedOutput.info(host, false, names); break;
      case "detail": expected = ExpectedOutput.info(host, true, names); break;
      case "policy": expected = ExpectedOutput.systemPolicies(host); break;
      case "domain-1": expected = ExpectedOutput.domainPolicy(host, 1); break;
      default: throw new AssertionError(mode);
    }
    assertEquals(expected, r.stdout(), "stdout");
    assertEquals("", r.stderr(), "stderr");
    assertEquals(0, r.rc(), "exit code");
  }

  @Test
  void run_policyOfMissingDomain_failsAsXen() {
    Case c = Golden417.cases().get("opt-p-hex");
    assertEquals(Reason.SIMULATED_HYPERVISOR, DEVIATIONS.get(c.id()));
    Run r = Golden417.run(c, Golden417.names());
    assertEquals("", r.stdout());
    assertEquals("xen-cpuid: xc_cpu_policy_get_domain(, 16, ): No such process\n", r.stderr());
    assertEquals(1, r.rc());
  }

  @Test
  void deviations_everyListedCaseIsCheckedAndExists() {
    Set<String> checked = new java.util.HashSet<>(
        deviatingCases().map(a -> (String) a.get()[0]).toList());
    checked.addAll(HOST_OUTPUT.keySet());
    checked.add("opt-p-hex");
    assertEquals(DEVIATIONS.keySet(), checked);
    assertTrue(Golden417.cases().keySet().containsAll(DEVIATIONS.keySet()));
    assertEquals(400, Golden417.cases().size());
  }
}
