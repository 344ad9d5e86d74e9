package dev.xenlevelling.xl.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xl.CreateResult;
import dev.xenlevelling.xl.DomainListing;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.policyfile.PolicyFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Host-wide defaults end to end over simulated hosts: a policy levelled from booted hosts, xl.conf
 * naming it, domains created under it; stale policies after a reboot; bad input.
 */
class HostDefaultsTest {
  @TempDir
  Path dir;

  String rel(String s) {
    return s.replace(dir.toString(), "D");
  }

  List<String> rel(List<String> l) {
    return l.stream().map(this::rel).toList();
  }

  XlConf conf(String text) throws Exception {
    Files.writeString(dir.resolve("xl.conf"), text);
    return XlConf.load(dir);
  }

  static DomainConfigFile domain(String text, String... extra) throws Exception {
    return DomainConfigFile.parse("d.cfg", "name='d'\n" + text, List.of(extra));
  }

  /** Writes pool.yaml levelled from two haswell-tsx hosts, n1 and n2, booted as dumped. */
  void haswellPool() throws Exception {
    XcInterface h = TestHosts.boot("haswell-tsx");
    TestHosts.policy(List.of(TestHosts.hostCpu(h, "n1"), TestHosts.hostCpu(h, "n2")))
        .write(dir.resolve("pool.yaml"));
  }

  @Test
  void create_underAPoolPolicy_explainsWhichLayerDecidedEachFeature() throws Exception {
    XcInterface a = TestHosts.boot("skylake-sp");
    XcInterface b = TestHosts.boot("haswell-tsx");
    TestHosts.policy(List.of(TestHosts.hostCpu(a, "a"), TestHosts.hostCpu(b, "b")))
        .write(dir.resolve("pool.yaml"));
    XlConf c = conf("vm.cpuid_policy = \"pool.yaml\"\nvm.hvm.cpuid = \"host,itsc=1\"\n");
    CreateResult r = Libxl.inMemory(a, "a").create(
        domain("type='hvm'\ncpuid='host,rtm=0'\n", "cpuid='host,hle=0'"), c, false);
    assertEquals(List.of(), r.defaults().warnings());
    assertEquals(List.of(
        "3dnowprefetch: off, policy D/pool.yaml (host b lacks it)",
        "xsavec: off, policy D/pool.yaml (host b lacks it)",
        "xgetbv1: off, policy D/pool.yaml (host b lacks it)",
        "xsaves: off, policy D/pool.yaml (host b lacks it)",
        "hle: off, command line",
        "avx512f: off, policy D/pool.yaml (host b lacks it)",
        "avx512dq: off, policy D/pool.yaml (host b lacks it)",
        "rdseed: off, policy D/pool.yaml (host b lacks it)",
        "adx: off, policy D/pool.yaml (host b lacks it)",
        "smap: off, policy D/pool.yaml (host b lacks it)",
        "clflushopt: off, policy D/pool.yaml (host b lacks it)",
        "avx512cd: off, policy D/pool.yaml (host b lacks it)",
        "avx512bw: off, policy D/pool.yaml (host b lacks it)",
        "avx512vl: off, policy D/pool.yaml (host b lacks it)",
        "pku: off, policy D/pool.yaml (host b lacks it)",
        "itsc: on, xl.conf D/xl.conf vm.hvm.cpuid"), rel(r.defaults().explainLines()));
    assertEquals(List.of(), r.clamped());
  }

  @Test
  void create_domainTurnsOnWhatThePolicyRemoved_getsItAndAWarningNamingTheHost()
      throws Exception {
    XcInterface a = TestHosts.boot("skylake-sp");
    XcInterface b = TestHosts.boot("haswell-tsx");
    TestHosts.policy(List.of(TestHosts.hostCpu(a, "a"), TestHosts.hostCpu(b, "b")))
        .write(dir.resolve("pool.yaml"));
    CreateResult r = Libxl.inMemory(a, "a").create(domain("type='hvm'\ncpuid='host,avx512f=1'\n"),
        conf("vm.cpuid_policy = \"pool.yaml\"\n"), false);
    assertEquals(List.of("warning: avx512f: domain config d.cfg turns on a feature the pool policy"
        + " D/pool.yaml removed: the domain could not move to host b"),
        rel(r.defaults().warnings()));
    assertTrue(r.defaults().explainLines().contains("avx512f: on, domain config d.cfg"));
  }

  @Test
  void create_onAHostThePolicyRecorded_isNotStale() throws Exception {
    haswellPool();
    CreateResult r = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1").create(
        domain("type='pv'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"), true);
    assertEquals(StaleCheck.Status.CURRENT, r.defaults().stale().orElseThrow().status());
    assertEquals("n1", r.defaults().stale().get().matchedHost().orElseThrow());
    assertEquals(List.of(), r.defaults().warnings());
  }

  @Test
  void create_afterRebootWithCpuidNoAvx2_saysStaleNamesAvx2AndHowToRecompute()
      throws Exception {
    haswellPool();
    XcInterface rebooted = TestHosts.boot("haswell-tsx", "cpuid=no-avx2", Microcode.AS_DUMPED);
    String fp = StaleCheck.shortFingerprint(HostFingerprint.of(rebooted));
    String recorded = StaleCheck.shortFingerprint(
        HostFingerprint.of(TestHosts.boot("haswell-tsx")));
    CreateResult r = Libxl.inMemory(rebooted, "n1").create(domain("type='hvm'\n"),
        conf("vm.cpuid_policy = \"pool.yaml\"\n"), false);
    assertEquals(List.of(
        "warning: policy D/pool.yaml is stale: this host (n1, " + fp + "): its fingerprint is"
            + " not the recorded one (" + recorded + ": rebooted into other microcode, Xen or"
            + " command line?); the policy was computed from 2 hosts on 2026-11-21T09:00:00Z",
        "warning: since then it lost avx2 (pv, hvm)",
        "warning: recompute the policy with xl cpu-level from every host's xen-cpuid --json (it"
            + " was made by: xl cpu-level -o pool.yaml n1.json n2.json)",
        "warning: the policy offers avx2 but the guest does not get it: avx2: off, clamped by"
            + " the hypervisor (host lacks it: Xen booted with cpuid=no-avx2)"),
        rel(r.defaults().warnings()));
    assertEquals(List.of("avx2: off, clamped by the hypervisor (host lacks it: Xen booted with"
        + " cpuid=no-avx2)"), r.defaults().explainLines());
  }

  /**
   * After TSX-removing microcode Xen drops RTM from its default policies but keeps it (forced,
   * tsx.c) in the max ones, so the hypervisor clamps nothing: the defaults lost rtm, and the pool
   * policy, recorded before, hides the rtm-always-abort the host now offers by default.
   */
  @Test
  void create_afterTsxRemovingMicrocode_defaultsLostRtm_nothingClamped() throws Exception {
    haswellPool();
    XcInterface rebooted = TestHosts.boot("haswell-tsx", "", Microcode.TSX_OFF);
    CreateResult r = Libxl.inMemory(rebooted, "n1").create(domain("type='hvm'\n"),
        conf("vm.cpuid_policy = \"pool.yaml\"\n"), false);
    assertEquals("warning: since then it lost rtm (pv, hvm)", r.defaults().warnings().get(1));
    assertTrue(r.defaults().explainLines().stream().noneMatch(l -> l.contains("clamped")),
        r.defaults().explainLines().toString());
    assertTrue(r.defaults().explainLines().stream()
        .anyMatch(l -> l.startsWith("rtm-always-abort: off, policy ")),
        r.defaults().explainLines().toString());
  }

  /**
   * The older erratum microcode hides TSX with no control MSR, so the host lacks rtm: a guest's
   * rtm=1 is clamped, and the explanation says the host lost it since the policy was made.
   */
  @Test
  void create_afterTsxHidingMicrocode_rtmClampedSinceMicrocodeUpdate() throws Exception {
    haswellPool();
    XcInterface rebooted = TestHosts.boot("haswell-tsx", "", Microcode.TSX_HIDDEN);
    CreateResult r = Libxl.inMemory(rebooted, "n1").create(
        domain("type='hvm'\ncpuid='host,rtm=1'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"),
        false);
    assertTrue(r.defaults().explainLines().contains(
        "rtm: off, clamped by the hypervisor (host lacks it since microcode update)"),
        r.defaults().explainLines().toString());
    assertTrue(r.defaults().warnings().contains(
        "warning: since then it lost hle (pv, hvm), rtm (pv, hvm), rtm-always-abort (pv, hvm)"),
        r.defaults().warnings().toString());
  }

  @Test
  void create_stalePolicyStrict_refusesAndCreatesNothing() throws Exception {
    haswellPool();
    XcInterface rebooted = TestHosts.boot("haswell-tsx", "cpuid=no-avx2", Microcode.AS_DUMPED);
    String fp = StaleCheck.shortFingerprint(HostFingerprint.of(rebooted));
    String recorded = StaleCheck.shortFingerprint(
        HostFingerprint.of(TestHosts.boot("haswell-tsx")));
    Libxl x = Libxl.inMemory(rebooted, "n1");
    DefaultsException e = assertThrows(DefaultsException.class,
        () -> x.create(domain("type='hvm'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"), true));
    assertEquals(DefaultsException.Reason.STALE_POLICY, e.reason());
    assertEquals("D/pool.yaml: policy is stale: this host (n1, " + fp + "): its fingerprint is"
        + " not the recorded one (" + recorded + ": rebooted into other microcode, Xen or command"
        + " line?); since then it lost avx2 (pv, hvm); recompute the policy with xl cpu-level"
        + " from every host's xen-cpuid --json (it was made by: xl cpu-level -o pool.yaml"
        + " n1.json n2.json); not creating the domain (--strict)", rel(e.getMessage()));
    DefaultsException k = assertThrows(DefaultsException.class, () -> x.create(
        domain("type='hvm'\n"),
        conf("vm.cpuid_policy = \"pool.yaml\"\nvm.cpuid_policy_strict = 1\n"), false));
    assertTrue(rel(k.getMessage()).endsWith(
        "; not creating the domain (D/xl.conf: vm.cpuid_policy_strict = 1)"), k.getMessage());
    assertEquals(List.of(0), domids(x), "nothing was created");
  }

  static Stream<Arguments> textFingerprints() {
    return Stream.of(
        Arguments.of("levelled from xen-cpuid text", "xen-cpuid-text:sha256:"),
        Arguments.of("levelled from xen-cpuid -p text", "xen-cpuid-p:sha256:"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("textFingerprints")
  void create_policyLevelledFromTextDumps_unchangedHostIsCurrentEvenStrict(String name,
      String kind) throws Exception {
    XcInterface h = TestHosts.boot("haswell-tsx");
    String fp = kind + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    TestHosts.policy(List.of(TestHosts.hostCpu(h, "n1", fp), TestHosts.hostCpu(h, "n2", fp)))
        .write(dir.resolve("pool.yaml"));
    CreateResult r = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1").create(
        domain("type='hvm'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"), true);
    assertEquals(StaleCheck.Status.CURRENT, r.defaults().stale().orElseThrow().status());
    assertEquals("n1", r.defaults().stale().get().matchedHost().orElseThrow());
    assertEquals(List.of(), r.defaults().warnings());
  }

  @Test
  void create_afterHarmlessReboot_isANoteAndStrictCreates() throws Exception {
    haswellPool();
    XcInterface rebooted = TestHosts.boot("haswell-tsx", "loglvl=all", Microcode.AS_DUMPED);
    String fp = StaleCheck.shortFingerprint(HostFingerprint.of(rebooted));
    String recorded = StaleCheck.shortFingerprint(
        HostFingerprint.of(TestHosts.boot("haswell-tsx")));
    CreateResult r = Libxl.inMemory(rebooted, "n1").create(domain("type='hvm'\n"),
        conf("vm.cpuid_policy = \"pool.yaml\"\n"), true);
    assertEquals(StaleCheck.Status.CURRENT, r.defaults().stale().orElseThrow().status());
    assertEquals(List.of("note: policy D/pool.yaml: this host (n1, " + fp + ") has another"
        + " fingerprint than when the policy was computed (" + recorded + "), but lost no"
        + " feature the policy relies on"), rel(r.defaults().warnings()));
  }

  @Test
  void create_hostRecordedUnderAnotherName_isIdentifiedByItsFeaturesets() throws Exception {
    haswellPool();
    CreateResult r = Libxl.inMemory(TestHosts.boot("haswell-tsx", "loglvl=all",
        Microcode.AS_DUMPED), "n7").create(domain("type='pv'\n"),
        conf("vm.cpuid_policy = \"pool.yaml\"\n"), true);
    assertEquals("n1", r.defaults().stale().orElseThrow().matchedHost().orElseThrow());
    assertTrue(r.defaults().warnings().get(0).endsWith(
        " has the featuresets recorded for its host n1: taken as that host"),
        r.defaults().warnings().toString());
  }

  @Test
  void create_onAHostNotInThePool_isStaleAndStrictRefuses() throws Exception {
    haswellPool();
    Libxl x = Libxl.inMemory(TestHosts.boot("skylake-sp"), "s1");
    DefaultsException e = assertThrows(DefaultsException.class,
        () -> x.create(domain("type='hvm'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"), true));
    assertEquals(DefaultsException.Reason.STALE_POLICY, e.reason());
    assertTrue(e.getMessage().contains(": it is not one of the policy's hosts (n1, n2);"),
        e.getMessage());
    assertEquals(List.of(0), domids(x));
  }

  @Test
  void create_misspeltXlConfKey_warnsOnce() throws Exception {
    CreateResult r = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1").create(
        domain("type='hvm'\n"), conf("vm.cpuid_polciy = \"pool.yaml\"\n"), false);
    assertEquals(List.of("warning: D/xl.conf:1:1: unknown key vm.cpuid_polciy ignored (xl.conf's"
        + " CPU keys are vm.cpuid, vm.pv.cpuid, vm.hvm.cpuid, vm.cpuid_policy,"
        + " vm.cpuid_policy_strict)"), rel(r.defaults().warnings()));
  }

  static List<Integer> domids(Libxl x) throws Exception {
    return x.list().stream().map(DomainListing::info).map(i -> i.domid()).toList();
  }

  static final String GOOD_HEAD = "version: 1\nvendor: intel\n";

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("policy file missing", "vm.cpuid_policy = \"nope.yaml\"\n", null,
            DefaultsException.Reason.POLICY_MISSING, null,
            "D/xl.conf:1:19: vm.cpuid_policy: cannot read the policy file D/nope.yaml: no such"
                + " file or directory"),
        Arguments.of("malformed YAML", "vm.cpuid_policy = \"pool.yaml\"\n",
            GOOD_HEAD + "hvm:\n  featureset: \"1\n", DefaultsException.Reason.POLICY_FILE,
            PolicyFileException.Reason.MALFORMED_YAML,
            "D/pool.yaml:5:1: malformed YAML: found unexpected end of stream (while scanning a"
                + " quoted scalar)"),
        Arguments.of("unknown key", "vm.cpuid_policy = \"pool.yaml\"\n",
            GOOD_HEAD + "hvm:\n  featureset: \"1\"\n  ceiling: \"1\"\n",
            DefaultsException.Reason.POLICY_FILE, PolicyFileException.Reason.UNKNOWN_KEY,
            "D/pool.yaml:5:3: hvm.ceiling: unknown key 'ceiling' (expected one of cpuid,"
                + " features, featureset, limits)"),
        Arguments.of("wrong type", "vm.cpuid_policy = \"pool.yaml\"\n",
            GOOD_HEAD + "hvm:\n  featureset: \"1\"\n  features: [avx]\n",
            DefaultsException.Reason.POLICY_FILE, PolicyFileException.Reason.WRONG_TYPE,
            "D/pool.yaml:5:13: hvm.features: expected a mapping of feature names to 0, 1, x, k or"
                + " s (a mapping), found a list"),
        Arguments.of("another vendor", "vm.cpuid_policy = \"pool.yaml\"\n",
            "version: 1\nvendor: amd\nhvm:\n  featureset: \"1\"\n",
            DefaultsException.Reason.POLICY_FILE, PolicyFileException.Reason.WRONG_VENDOR,
            "D/pool.yaml:2:9: vendor: the policy is for amd hosts, but this host is intel"
                + " (GenuineIntel); a guest cannot be levelled across vendors"),
        Arguments.of("bad xl.conf key", "vm.cpuid_policy_strict = 2\n", null,
            DefaultsException.Reason.XL_CONF, null,
            "D/xl.conf:1:26: vm.cpuid_policy_strict: expected 0 or 1, found \"2\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void create_badInput_oneErrorNamingFileLineAndKey_nothingCreated(String name, String xlConf,
      String policy, DefaultsException.Reason reason, PolicyFileException.Reason policyReason,
      String message) throws Exception {
    if (policy != null) {
      Files.writeString(dir.resolve("pool.yaml"), policy);
    }
    Libxl x = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1");
    DefaultsException e = assertThrows(DefaultsException.class,
        () -> x.create(domain("type='hvm'\n"), conf(xlConf), false));
    assertEquals(message, rel(e.getMessage()));
    assertEquals(reason, e.reason());
    if (policyReason != null) {
      assertEquals(policyReason, ((PolicyFileException) e.getCause()).reason());
    }
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(List.of(0), domids(x), "the host's domain list is unchanged");
  }

  static Stream<Arguments> configs() {
    return Stream.of(
        Arguments.of("hvm, nothing asked", "type='hvm'\n"),
        Arguments.of("hvm, a removed feature back on", "type='hvm'\ncpuid='host,avx512f=1'\n"),
        Arguments.of("hvm, nestedhvm", "type='hvm'\nnestedhvm=1\n"),
        Arguments.of("hvm, avx off takes avx2 and avx512f", "type='hvm'\ncpuid='host,avx=0'\n"),
        Arguments.of("pv", "type='pv'\ncpuid='host,itsc=k,x2apic=1'\n"),
        Arguments.of("pvh, xend list", "type='pvh'\ncpuid=['0x00000007,0:ebx="
            + "xxxxxxxxxxxxxxxxxxxxxxxxxx0xxxxx']\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void preview_predictsWhatCreateGives(String name, String config) throws Exception {
    XcInterface a = TestHosts.boot("skylake-sp");
    XcInterface b = TestHosts.boot("haswell-tsx");
    TestHosts.policy(List.of(TestHosts.hostCpu(a, "a"), TestHosts.hostCpu(b, "b")))
        .write(dir.resolve("pool.yaml"));
    XlConf c = conf("vm.cpuid_policy = \"pool.yaml\"\nvm.cpuid = \"host,itsc=1\"\n");
    Libxl x = Libxl.inMemory(a, "a");
    DefaultsReport predicted = x.preview(domain(config), c, false);
    assertTrue(predicted.predicted());
    assertEquals(List.of(0), domids(x), "-N creates nothing");
    CreateResult created = x.create(domain(config), c, false);
    assertEquals(created.defaults().explainLines(), predicted.explainLines());
    assertEquals(created.defaults().warnings(), predicted.warnings());
  }

  @Test
  void create_policyLimits_lowerTheDomainsAndAreExplained() throws Exception {
    XcInterface h = TestHosts.boot("haswell-tsx");
    dev.xenlevelling.xl.policyfile.PolicyFile p =
        TestHosts.policy(List.of(TestHosts.hostCpu(h, "n1")));
    dev.xenlevelling.xl.policyfile.TypePolicy hvm = p.type(
        dev.xenlevelling.xc.abi.DomainType.HVM).orElseThrow();
    new dev.xenlevelling.xl.policyfile.PolicyFile(p.vendor(),
        com.google.common.collect.ImmutableSortedMap.of(dev.xenlevelling.xc.abi.DomainType.HVM,
            new dev.xenlevelling.xl.policyfile.TypePolicy(hvm.featureset(), hvm.features(),
                hvm.cpuid(), new dev.xenlevelling.xl.policyfile.PolicyLimits(
                    java.util.OptionalLong.empty(), java.util.OptionalInt.empty(),
                    java.util.OptionalLong.empty(), java.util.OptionalInt.of(40)))),
        p.provenance()).write(dir.resolve("pool.yaml"));
    Libxl x = Libxl.inMemory(h, "n1");
    CreateResult r = x.create(domain("type='hvm'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"),
        false);
    assertEquals(40, x.domainPolicy(x.find("d")).maxPhysAddr());
    assertEquals(List.of("maxphysaddr: 40, policy D/pool.yaml (its limit, below this host's"
        + " default)"), rel(r.defaults().explainLines()));
    assertEquals(List.of(), r.clamped());
  }

  /** Writes pool.yaml for haswell-tsx host n1 with {@code limits} on its hvm section. */
  void haswellPoolWithHvmLimits(dev.xenlevelling.xl.policyfile.PolicyLimits limits)
      throws Exception {
    XcInterface h = TestHosts.boot("haswell-tsx");
    dev.xenlevelling.xl.policyfile.PolicyFile p =
        TestHosts.policy(List.of(TestHosts.hostCpu(h, "n1")));
    dev.xenlevelling.xl.policyfile.TypePolicy hvm = p.type(
        dev.xenlevelling.xc.abi.DomainType.HVM).orElseThrow();
    new dev.xenlevelling.xl.policyfile.PolicyFile(p.vendor(),
        com.google.common.collect.ImmutableSortedMap.of(dev.xenlevelling.xc.abi.DomainType.HVM,
            new dev.xenlevelling.xl.policyfile.TypePolicy(hvm.featureset(), hvm.features(),
                hvm.cpuid(), limits)), p.provenance()).write(dir.resolve("pool.yaml"));
  }

  @Test
  void create_policyMaxLeafCutsLeaf7_featuresAttributedToTheLimit_previewAgrees()
      throws Exception {
    haswellPoolWithHvmLimits(new dev.xenlevelling.xl.policyfile.PolicyLimits(
        java.util.OptionalLong.of(6), java.util.OptionalInt.empty(),
        java.util.OptionalLong.empty(), java.util.OptionalInt.empty()));
    Libxl x = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1");
    XlConf c = conf("vm.cpuid_policy = \"pool.yaml\"\n");
    DefaultsReport predicted = x.preview(domain("type='hvm'\n"), c, false);
    CreateResult r = x.create(domain("type='hvm'\n"), c, false);
    List<String> lines = rel(r.defaults().explainLines());
    assertTrue(lines.contains("bmi1: off, policy D/pool.yaml (its limit max_leaf 0x6 cuts leaf"
        + " 0x7)"), lines.toString());
    assertTrue(lines.contains("max_leaf: 0x6, policy D/pool.yaml (its limit, below this host's"
        + " default)"), lines.toString());
    assertTrue(lines.stream().noneMatch(l -> l.contains("clamped by the hypervisor")),
        lines.toString());
    assertEquals(r.defaults().explainLines(), predicted.explainLines());
    assertEquals(r.defaults().warnings(), predicted.warnings());
  }

  @Test
  void create_policyWithoutProvenance_cannotBeCheckedAndSaysSo() throws Exception {
    Files.writeString(dir.resolve("pool.yaml"), GOOD_HEAD + "hvm:\n  featureset: \""
        + TestHosts.boot("haswell-tsx").getCpuFeatureset(
            dev.xenlevelling.xc.abi.FeaturesetIndex.HVM_MAX).format() + "\"\n");
    CreateResult r = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1").create(
        domain("type='hvm'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"), true);
    assertEquals(StaleCheck.Status.NOT_RECORDED, r.defaults().stale().orElseThrow().status());
    assertEquals(List.of("warning: policy D/pool.yaml records no host fingerprints: xl cannot"
        + " tell whether it is stale"), rel(r.defaults().warnings()));
  }

  @Test
  void create_policyWithoutTheGuestsType_saysItSetsNothing() throws Exception {
    haswellPool();
    String text = Files.readString(dir.resolve("pool.yaml"));
    Files.writeString(dir.resolve("pool.yaml"),
        text.substring(0, text.indexOf("\nhvm:\n")) + text.substring(text.indexOf("\nprovenance:")));
    CreateResult r = Libxl.inMemory(TestHosts.boot("haswell-tsx"), "n1").create(
        domain("type='pvh'\n"), conf("vm.cpuid_policy = \"pool.yaml\"\n"), false);
    assertEquals(List.of("warning: policy D/pool.yaml has no hvm section: it sets nothing for"
        + " this guest"), rel(r.defaults().warnings()));
    assertEquals(List.of(), r.defaults().explainLines());
  }
}
