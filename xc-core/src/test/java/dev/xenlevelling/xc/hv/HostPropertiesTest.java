package dev.xenlevelling.xc.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.ClampedFeature;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of boot derivation and of set_cpu_policy's clamp, over real CPUs and options. */
class HostPropertiesTest {
  private static final FeatureTable T = FeatureTable.latest();
  /** Bits Xen's max/default adjustments add on purpose, whatever the static masks say. */
  private static final Featureset ADJUSTED = T.featuresetOf(List.of("x2apic", "apic", "htt",
      "cmp-legacy", "erms", "hypervisor", "arch-caps", "rsba", "rrsba", "md-clear", "fb-clear",
      "rfds-clear", "rtm-always-abort", "verw-clear", "virt-ssbd", "stibp", "amd-stibp", "ibpb",
      "sep", "no-lmsl", "clwb", "hle", "rtm"));

  @Provide
  Arbitrary<String> dumps() {
    return Arbitraries.of(Dumps.NAMES);
  }

  @Provide
  Arbitrary<List<String>> cleared() {
    return Arbitraries.of(T.features().stream().map(Feature::name).collect(Collectors.toList()))
        .list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Integer>> bits() {
    return Arbitraries.integers().between(0, T.nrWords() * 32 - 1).list().ofMaxSize(40);
  }

  static Host boot(String dump, List<String> cleared, boolean hap, boolean tsxOff) {
    String cmdline = (cleared.isEmpty() ? "" : "cpuid=" + cleared.stream().map(c -> "no-" + c)
        .collect(Collectors.joining(","))) + (hap ? "" : " hap=0");
    return Dumps.boot(dump, cmdline, tsxOff ? Microcode.TSX_OFF : Microcode.AS_DUMPED);
  }

  @Property(tries = 150)
  void systemPolicies_withinMasksSanitisedAndOrdered(@ForAll("dumps") String dump,
      @ForAll("cleared") List<String> cleared, @ForAll boolean hap, @ForAll boolean tsxOff) {
    Host h = boot(dump, cleared, hap, tsxOff);
    StaticMask hvmMax = h.hapSupported() ? StaticMask.HVM_HAP_MAX : StaticMask.HVM_SHADOW_MAX;
    StaticMask hvmDef = h.hapSupported() ? StaticMask.HVM_HAP_DEF : StaticMask.HVM_SHADOW_DEF;
    Object[][] cases = {{PolicyIndex.PV_MAX, StaticMask.PV_MAX},
        {PolicyIndex.PV_DEFAULT, StaticMask.PV_DEF}, {PolicyIndex.HVM_MAX, hvmMax},
        {PolicyIndex.HVM_DEFAULT, hvmDef}};
    for (Object[] c : cases) {
      Featureset fs = h.featureset((PolicyIndex) c[0]);
      assertTrue(fs.andNot(T.mask((StaticMask) c[1])).isSubsetOf(ADJUSTED), c[0] + " in mask");
      assertEquals(fs, T.sanitise(fs), c[0] + " sanitised");
    }
    // As Xen: with RTM disabled the default adjustments set RTM_ALWAYS_ABORT unconditionally,
    // while max has it only with RTM, which cpuid=no-rtm keeps out (domains are clamped to max).
    Featureset quirk = h.rtmDisabled() && !h.featureset(PolicyIndex.HOST).contains(Feat.RTM)
        ? T.featuresetOf(List.of("rtm-always-abort")) : T.featuresetOf(List.of());
    assertTrue(h.featureset(PolicyIndex.PV_DEFAULT).andNot(quirk)
        .isSubsetOf(h.featureset(PolicyIndex.PV_MAX)), "pv default within pv max");
    assertTrue(h.featureset(PolicyIndex.HVM_DEFAULT).andNot(quirk)
        .isSubsetOf(h.featureset(PolicyIndex.HVM_MAX)), "hvm default within hvm max");
    for (String c : cleared) {
      int f = Feat.n(c);
      assertTrue(!h.featureset(PolicyIndex.HOST).contains(f), c + " cleared from host");
      assertTrue(h.featureset(PolicyIndex.HOST).and(T.deepDependents(f)).isEmpty(),
          c + "'s dependents cleared");
    }
  }

  @Property(tries = 150)
  void setCpuPolicy_clampIsWithinMaxSanitisedIdempotentAndFullyReported(
      @ForAll("dumps") String dump, @ForAll boolean hvm, @ForAll("bits") List<Integer> flips)
      throws Exception {
    Hypervisor hv = Hypervisor.inMemory(Dumps.boot(dump, ""));
    DomainType type = hvm && hv.host().hvmSupported() ? DomainType.HVM : DomainType.PV;
    boolean hap = type == DomainType.HVM && hv.host().hapSupported();
    int d = hv.createDomain(type, hap, false);
    CpuPolicy cur = hv.getDomainCpuPolicy(d);
    Featureset asked = cur.featureset(T);
    for (int b : flips) {
      asked = asked.contains(b) ? asked.without(b) : asked.with(b);
    }
    // What is sent: a whole serialised policy, then leaf 7:1 on in case max_subleaf hides it.
    List<dev.xenlevelling.xc.policy.CpuidLeaf> sent =
        new java.util.ArrayList<>(cur.withFeatureset(asked, T).toLeaves());
    CpuPolicy withAsked = cur.withFeatureset(asked, T);
    sent.add(withAsked.leaf(7, 1).orElseThrow());
    asked = cur.mergeLeaves(sent, cur.toMsrs()).featureset(T);
    ClampReport r = hv.setCpuPolicy(d, sent, cur.toMsrs());
    Featureset got = hv.getDomainCpuPolicy(d).featureset(T);
    Featureset max = Recalculate.maxFeatureset(hv.host(), type, hap, false);
    Featureset fromHost = T.featuresetOf(List.of("fdp-excp-only", "no-fpu-sel"));
    assertTrue(got.isSubsetOf(max.or(fromHost)), "within the max");
    assertEquals(got, T.sanitise(got), "sanitised");
    Set<String> removed = r.removed().stream().map(ClampedFeature::name)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> lost = new TreeSet<>();
    asked.andNot(got).features().forEach(f -> lost.add(T.byIndex(f).map(Feature::name)
        .orElse("bit " + f)));
    assertEquals(lost, removed, "every dropped bit is reported, and only those");
    CpuPolicy p = hv.getDomainCpuPolicy(d);
    assertTrue(hv.setCpuPolicy(d, p.toLeaves(), p.toMsrs()).unchanged(), "clamp is idempotent");
  }
}
