package dev.xenlevelling.xl.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.defaults.Decision.Rule;
import dev.xenlevelling.xl.domain.GuestType;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.policyfile.CpuidText;
import dev.xenlevelling.xl.policyfile.FeatureSetting;
import dev.xenlevelling.xl.policyfile.HostFeaturesets;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyLimits;
import dev.xenlevelling.xl.policyfile.Provenance;
import dev.xenlevelling.xl.policyfile.TypePolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The merge order, bit by bit: each layer overrides the ones before it. */
class CpuidMergeTest {
  static final FeatureTable T = FeatureTable.latest();
  static final List<String> HOST = List.of("fpu", "pse36", "pae", "htt", "sse", "sse2", "vmx",
      "avx", "xsave", "avx2", "avx512f", "hle", "rtm", "itsc");
  static final Featureset ALL = T.featuresetOf(HOST);
  static final Featureset NO_AVX2 = ALL.without(index("avx2")).without(index("avx512f"));

  static final dev.xenlevelling.xl.level.CpuLimits DEFAULT_LIMITS =
      dev.xenlevelling.xl.level.CpuLimits.of(0xd, 0, 0x80000008L, 46, 0);

  static int index(String name) {
    return T.byName(name).orElseThrow().index();
  }

  /** A test case's layers: every one optional. */
  record Layers(Optional<TypePolicy> policy, String vmCpuid, String vmPv, String vmHvm,
      String domain, String commandLine) {
    static Layers none() {
      return new Layers(Optional.empty(), "", "", "", "", "");
    }

    Layers policy(Featureset ceiling, Map<String, FeatureSetting> features, String cpuid) {
      return new Layers(Optional.of(new TypePolicy(ceiling, ImmutableMap.copyOf(features),
          cpuid.isEmpty() ? Optional.empty()
              : Optional.of(new CpuidText(CpuidText.Syntax.LIBXL, ImmutableList.of(cpuid))),
          PolicyLimits.NONE)), vmCpuid, vmPv, vmHvm, domain, commandLine);
    }

    Layers xl(String all, String pv, String hvm) {
      return new Layers(policy, all, pv, hvm, domain, commandLine);
    }

    Layers domain(String d, String cmd) {
      return new Layers(policy, vmCpuid, vmPv, vmHvm, d, cmd);
    }
  }

  static CpuidPolicyList list(String libxl) throws Exception {
    return libxl.isEmpty() ? CpuidPolicyList.empty() : CpuidParser.latest().parseLibxlString(libxl);
  }

  static Optional<XlConf.CpuidSetting> setting(String key, String libxl) throws Exception {
    return libxl.isEmpty() ? Optional.empty()
        : Optional.of(new XlConf.CpuidSetting(key, new dev.xenlevelling.xl.config.Position(
            "xl.conf", 1, 1), list(libxl)));
  }

  static PolicyFile policyFile(TypePolicy hvm) {
    return new PolicyFile(Vendor.INTEL, ImmutableSortedMap.of(
        dev.xenlevelling.xc.abi.DomainType.HVM, hvm), Optional.of(new Provenance(
            Instant.parse("2026-11-21T09:00:00Z"), "xl cpu-level", ImmutableList.of(
                new HostRef("a", "sha256:a"), new HostRef("b", "sha256:b")),
            ImmutableMap.of("a", new HostFeaturesets(ImmutableSortedMap.of(),
                ImmutableSortedMap.of(dev.xenlevelling.xc.abi.DomainType.HVM, ALL)),
                "b", new HostFeaturesets(ImmutableSortedMap.of(),
                ImmutableSortedMap.of(dev.xenlevelling.xc.abi.DomainType.HVM, NO_AVX2))))));
  }

  static MergeInput input(Layers l, boolean nestedExplicit) throws Exception {
    XlConf conf = new XlConf("xl.conf", setting("vm.cpuid", l.vmCpuid()),
        setting("vm.pv.cpuid", l.vmPv()), setting("vm.hvm.cpuid", l.vmHvm()), Optional.empty(),
        false);
    return new MergeInput(T, GuestType.HVM, true, false, nestedExplicit, false, false,
        nestedExplicit, ALL, ALL, DEFAULT_LIMITS,
        l.policy().map(tp -> new LoadedPolicy("pool.yaml", policyFile(tp))), conf,
        list(l.domain()), list(l.commandLine()), "d.cfg");
  }

  static Stream<Arguments> order() {
    Layers n = Layers.none();
    Map<String, FeatureSetting> none = Map.of();
    return Stream.of(
        Arguments.of("no layer: the default policy's", n, "avx2", null, null),
        Arguments.of("policy ceiling forces off", n.policy(NO_AVX2, none, ""), "avx2", '0',
            Rule.CEILING),
        Arguments.of("policy setting", n.policy(ALL, Map.of("avx2", FeatureSetting.KEEP), ""),
            "avx2", 'k', Rule.SETTING),
        Arguments.of("policy setting x sets nothing",
            n.policy(ALL, Map.of("avx2", FeatureSetting.DEFAULT), ""), "avx2", null, null),
        Arguments.of("policy cpuid over its setting",
            n.policy(ALL, Map.of("avx2", FeatureSetting.OFF), "host,avx2=1"), "avx2", '1',
            Rule.CPUID),
        Arguments.of("policy ceiling over its own cpuid",
            n.policy(NO_AVX2, none, "host,avx2=1"), "avx2", '0', Rule.CEILING),
        Arguments.of("vm.cpuid over the policy",
            n.policy(NO_AVX2, none, "").xl("host,avx2=1", "", ""), "avx2", '1', Rule.CPUID),
        Arguments.of("vm.hvm.cpuid over vm.cpuid",
            n.xl("host,avx2=1", "", "host,avx2=0"), "avx2", '0', Rule.CPUID),
        Arguments.of("vm.pv.cpuid is not for HVM guests", n.xl("", "host,avx2=0", ""), "avx2",
            null, null),
        Arguments.of("domain over vm.hvm.cpuid",
            n.xl("", "", "host,avx2=0").domain("host,avx2=1", ""), "avx2", '1', Rule.CPUID),
        Arguments.of("domain over the policy ceiling",
            n.policy(NO_AVX2, none, "").domain("host,avx2=s", ""), "avx2", 's', Rule.CPUID),
        Arguments.of("command line over the domain",
            n.xl("", "", "host,avx2=0").domain("host,avx2=k", "host,avx2=k"), "avx2", 'k',
            Rule.CPUID),
        Arguments.of("command line leaves the domain's other bits the domain's",
            n.xl("", "", "host,avx2=0").domain("host,avx2=1,avx=1", "host,avx=1"), "avx2", '1',
            Rule.CPUID));
  }

  static final Map<String, Layer> EXPECTED_LAYER = Map.ofEntries(
      Map.entry("policy ceiling forces off", Layer.POLICY),
      Map.entry("policy setting", Layer.POLICY),
      Map.entry("policy cpuid over its setting", Layer.POLICY),
      Map.entry("policy ceiling over its own cpuid", Layer.POLICY),
      Map.entry("vm.cpuid over the policy", Layer.XL_CONF),
      Map.entry("vm.hvm.cpuid over vm.cpuid", Layer.XL_CONF_TYPE),
      Map.entry("domain over vm.hvm.cpuid", Layer.DOMAIN),
      Map.entry("domain over the policy ceiling", Layer.DOMAIN),
      Map.entry("command line over the domain", Layer.COMMAND_LINE),
      Map.entry("command line leaves the domain's other bits the domain's", Layer.DOMAIN));

  @ParameterizedTest(name = "{0}")
  @MethodSource("order")
  void merge_laterLayerWinsPerBit(String name, Layers layers, String feature, Character value,
      Rule rule) throws Exception {
    CpuidPlan p = CpuidMerge.merge(input(layers, false));
    BitKey k = BitKey.of(T.byName(feature).orElseThrow(), T);
    Optional<Decision> d = p.decision(k);
    if (value == null) {
      assertEquals(Optional.empty(), d);
      assertEquals('x', charOf(p.merged(), k));
      return;
    }
    assertEquals(value, d.orElseThrow().value());
    assertEquals(value, charOf(p.merged(), k), "the merged cpuid= carries it");
    assertEquals(rule, d.get().rule());
    assertEquals(EXPECTED_LAYER.get(name), d.get().layer());
  }

  /** Returns merged's character for bit {@code k}, {@code x} when no entry sets it. */
  static char charOf(CpuidPolicyList merged, BitKey k) {
    for (CpuidPolicyList.Entry e : merged.cpuid()) {
      if (e.leaf() == k.leaf() && e.subleaf() == k.subleaf()
          && e.register(k.register()).isPresent()) {
        return e.register(k.register()).get().charAt(31 - k.bit());
      }
    }
    return 'x';
  }

  @Test
  void merge_noDefaults_isTheDomainsListItself() throws Exception {
    CpuidPolicyList domain = CpuidParser.latest().parseXendList(
        List.of("0x00000001:ecx=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
    MergeInput in = input(Layers.none(), false);
    in = new MergeInput(in.table(), in.type(), in.pae(), in.itsc(), in.nested(),
        in.paeExplicit(), in.itscExplicit(), in.nestedExplicit(), in.hostFeatures(),
        in.typeMax(), in.defaultLimits(), in.policy(), in.xlConf(), domain, CpuidPolicyList.empty(), "d.cfg");
    assertSame(domain, CpuidMerge.merge(in).merged(), "xl without xl.conf is xl");
  }

  @Test
  void merge_defaultInARegister_writesLibxlBuildOptionsThere() throws Exception {
    // The policy turns pse36 off: leaf 1 edx is overridden, so pae and htt (same register),
    // which libxc's x would take from the default policy, are written as libxc computed them.
    CpuidPlan p = CpuidMerge.merge(input(
        Layers.none().policy(ALL, Map.of("pse36", FeatureSetting.OFF), ""), false));
    assertEquals(new Decision(Layer.DEFAULT, '1', "default policy", Rule.BUILD_OPTION),
        p.decision(BitKey.of(T.byName("pae").orElseThrow(), T)).orElseThrow());
    assertEquals('1', p.decision(BitKey.of(T.byName("htt").orElseThrow(), T)).orElseThrow()
        .value());
    assertEquals(Optional.empty(), p.decision(BitKey.of(T.byName("itsc").orElseThrow(), T)),
        "leaf 0x80000007 is not overridden");
  }

  @Test
  void merge_domainsNestedhvm_winsOverThePolicysVmx() throws Exception {
    Layers l = Layers.none().policy(ALL, Map.of("vmx", FeatureSetting.OFF), "");
    BitKey vmx = BitKey.of(T.byName("vmx").orElseThrow(), T);
    assertEquals(Layer.POLICY, CpuidMerge.merge(input(l, false)).decision(vmx).orElseThrow()
        .layer());
    Decision d = CpuidMerge.merge(input(l, true)).decision(vmx).orElseThrow();
    assertEquals(new Decision(Layer.DOMAIN, '1', "domain config d.cfg (nestedhvm)",
        Rule.BUILD_OPTION), d);
  }

  @Test
  void merge_domainTurnsOnWhatThePolicyRemoved_warnsNamingTheHost() throws Exception {
    CpuidPlan p = CpuidMerge.merge(input(
        Layers.none().policy(NO_AVX2, Map.of(), "").domain("host,avx512f=1", ""), false));
    assertEquals(List.of("warning: avx512f: domain config d.cfg turns on a feature the pool"
        + " policy pool.yaml removed: the domain could not move to host b"), p.warnings());
  }

  @Test
  void merge_ceilingNeverForcesHostValueBits() throws Exception {
    Featureset withFdp = ALL.with(index("fdp-excp-only"));
    MergeInput in = input(Layers.none().policy(ALL, Map.of(), ""), false);
    in = new MergeInput(in.table(), in.type(), in.pae(), in.itsc(), in.nested(),
        in.paeExplicit(), in.itscExplicit(), in.nestedExplicit(), withFdp, withFdp,
        in.defaultLimits(), in.policy(), in.xlConf(), in.domain(), in.commandLine(), "d.cfg");
    assertEquals(Optional.empty(), CpuidMerge.merge(in).decision(
        BitKey.of(T.byName("fdp-excp-only").orElseThrow(), T)));
  }

  @Test
  void bitKey_msrFeature_isTheMsrBit() {
    BitKey k = BitKey.of(T.byName("rdcl-no").orElseThrow(), T);
    assertEquals(new BitKey(true, 0x10a, CpuidPolicyList.NO_SUBLEAF, Register.EAX, 0), k);
  }

  @Test
  void commandLineCpuid_isTheCommandLinesAlone() throws Exception {
    assertEquals(list("host,avx=0"), CpuidMerge.commandLineCpuid("memory=4\ncpuid='host,avx=0'\n"));
    assertEquals(CpuidPolicyList.empty(), CpuidMerge.commandLineCpuid("memory=4\n"));
    assertEquals(Path.of("/etc/xen"), XlConf.configDir(Map.of()));
  }

  @Test
  void merge_policyLimitsBelowTheDefault_areWrittenWholeAboveAreNot() throws Exception {
    Layers l = Layers.none().policy(ALL, Map.of(), "");
    TypePolicy tp = l.policy().orElseThrow();
    TypePolicy limited = new TypePolicy(tp.featureset(), tp.features(), tp.cpuid(),
        new PolicyLimits(java.util.OptionalLong.of(0x16), java.util.OptionalInt.of(0),
            java.util.OptionalLong.of(0x80000007L), java.util.OptionalInt.of(39)));
    CpuidPlan p = CpuidMerge.merge(input(new Layers(Optional.of(limited), "", "", "", "", ""),
        false));
    StringBuilder phys = new StringBuilder();
    for (int b = 7; b >= 0; b--) {
      Decision d = p.decision(new BitKey(false, 0x80000008, CpuidPolicyList.NO_SUBLEAF,
          Register.EAX, b)).orElseThrow();
      assertEquals(Rule.LIMIT, d.rule());
      phys.append(d.value());
    }
    assertEquals(Integer.toBinaryString(0x100 | 39).substring(1), phys.toString());
    assertEquals('1', p.decision(new BitKey(false, 0x80000000, CpuidPolicyList.NO_SUBLEAF,
        Register.EAX, 31)).orElseThrow().value(), "extd_max_leaf 0x80000007 < 0x80000008");
    assertEquals(Optional.empty(), p.decision(new BitKey(false, 0, CpuidPolicyList.NO_SUBLEAF,
        Register.EAX, 4)), "max_leaf 0x16 is above this host's 0xd: the host's stands");
    assertEquals(Optional.empty(), p.decision(new BitKey(false, 7, 0, Register.EAX, 0)),
        "leaf 7 subleaf 0 is not below 0");
  }
}
