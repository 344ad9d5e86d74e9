package dev.xenlevelling.xc.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.VirtCap;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostTest {
  private static final FeatureTable T = FeatureTable.latest();

  /** Expected caps per real CPU: the probing of xen/arch/x86/cpu/intel.c and amd.c (<=4.21 bits). */
  static Stream<Arguments> levellingCaps() {
    return Stream.of(
        Arguments.of("Core 2 (Merom, 6/0x0f): no masking MSRs", "Core2-E6850", 0x0),
        Arguments.of("Penryn/Harpertown 6/0x17: 1cd", "Xeon-X5460", 0x06),
        Arguments.of("Atom Bonnell 6/0x1c: none", "Atom-D510", 0x0),
        Arguments.of("Nehalem 6/0x1a: 1cd+e1cd", "Xeon-W3520", 0x1e),
        Arguments.of("Westmere 6/0x25: 1cd+e1cd", "Core-i5-650", 0x1e),
        Arguments.of("SandyBridge 6/0x2a: +Da1", "Core-i7-2600", 0x3e),
        Arguments.of("SandyBridge-EP 6/0x2d: +Da1", "Xeon-E5-2650", 0x3e),
        Arguments.of("IvyBridge 6/0x3a: faulting", "Core-i7-3740QM", 0x1),
        Arguments.of("Haswell client: faulting", "Core-i5-4670T", 0x1),
        Arguments.of("Haswell-EP: faulting", "Xeon-E5-2650-v3", 0x1),
        Arguments.of("Haswell-EX: faulting", "Xeon-E7-8890-v3", 0x1),
        Arguments.of("Broadwell client: faulting", "Core-i7-5600U", 0x1),
        Arguments.of("Broadwell-EP: faulting", "Xeon-E5-2650-v4", 0x1),
        Arguments.of("Skylake client: faulting", "Core-i5-6600", 0x1),
        Arguments.of("Kaby Lake-R: faulting", "Core-i7-8550U", 0x1),
        Arguments.of("Skylake-SP: faulting", "Xeon-Gold-6148", 0x1),
        Arguments.of("Cascade Lake: faulting", "Xeon-Platinum-8268", 0x1),
        Arguments.of("Cooper Lake: faulting", "Cooperlake", 0x1),
        Arguments.of("Ice Lake-SP: faulting", "Ice-Lake-Server", 0x1),
        Arguments.of("Tremont Atom: faulting", "Atom-P5362", 0x1),
        Arguments.of("Sapphire Rapids: faulting", "Xeon-w7-3465X", 0x1),
        Arguments.of("Fam10h (max leaf 5): 1cd+e1cd", "Opteron-2350", 0x1e),
        Arguments.of("Fam15h Bulldozer: 1cd+e1cd+6c+7ab0", "Opteron-6234", 0x1de),
        Arguments.of("Fam15h Piledriver: 0x1de", "A10-5800K", 0x1de),
        Arguments.of("Zen1 Naples: 0x19e", "EPYC-7601-32-Core", 0x19e),
        Arguments.of("Zen2 Rome: 0x19e", "EPYC-7502-32-Core", 0x19e),
        Arguments.of("Zen3 Milan: 0x19e", "EPYC-7713-64-Core", 0x19e),
        Arguments.of("Zen4 Genoa has CpuidUserDis: faulting", "EPYC-9334-32-Core", 0x1),
        Arguments.of("Hygon Dhyana: 0x19e", "Hygon-C86-7185-32-core", 0x19e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("levellingCaps")
  void boot_realCpu_levellingCapsAsXen(String name, String dump, int caps) {
    assertEquals(caps, Dumps.boot(dump, "").levellingCaps().value(), dump);
  }

  @Test
  void levellingCaps_coverEveryDump() {
    assertEquals(Dumps.NAMES.size(), levellingCaps().count());
  }

  static Stream<Arguments> allDumps() {
    return Dumps.NAMES.stream().map(n -> Arguments.of(n));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allDumps")
  void boot_everyDump_policiesWithinMasksAndSanitised(String dump) {
    Host h = Dumps.boot(dump, "");
    Featureset host = h.featureset(PolicyIndex.HOST);
    assertTrue(host.isSubsetOf(T.mask(StaticMask.KNOWN)), "host within known");
    check(h, PolicyIndex.PV_MAX, StaticMask.PV_MAX);
    check(h, PolicyIndex.PV_DEFAULT, StaticMask.PV_DEF);
    if (h.hvmSupported()) {
      check(h, PolicyIndex.HVM_MAX, h.hapSupported() ? StaticMask.HVM_HAP_MAX : StaticMask.HVM_SHADOW_MAX);
      check(h, PolicyIndex.HVM_DEFAULT, h.hapSupported() ? StaticMask.HVM_HAP_DEF : StaticMask.HVM_SHADOW_DEF);
    } else {
      assertTrue(h.featureset(PolicyIndex.HVM_MAX).isEmpty());
    }
    assertTrue(h.featureset(PolicyIndex.PV_DEFAULT).isSubsetOf(h.featureset(PolicyIndex.PV_MAX)),
        "pv default within pv max");
    assertTrue(h.featureset(PolicyIndex.HVM_DEFAULT).isSubsetOf(h.featureset(PolicyIndex.HVM_MAX)),
        "hvm default within hvm max");
    assertEquals(8, h.physinfo().hwCaps().length());
  }

  /**
   * Within the static mask except for the bits Xen's adjustments add on purpose (all special or
   * synthesised ones), and unchanged by sanitise.
   */
  private static void check(Host h, PolicyIndex i, StaticMask mask) {
    Featureset fs = h.featureset(i);
    Featureset adjusted = T.featuresetOf(java.util.List.of("x2apic", "apic", "htt", "cmp-legacy",
        "erms", "hypervisor", "arch-caps", "rsba", "rrsba", "md-clear", "fb-clear", "rfds-clear",
        "rtm-always-abort", "verw-clear", "virt-ssbd", "stibp", "amd-stibp", "ibpb", "sep",
        "no-lmsl", "clwb"));
    Featureset outside = fs.andNot(T.mask(mask));
    assertTrue(outside.isSubsetOf(adjusted), i + " has " + T.names(outside) + " outside " + mask);
    assertEquals(fs, T.sanitise(fs), i + " sanitised");
  }

  /**
   * As tsx.c and cpu-policy.c: the microcode hides HLE/RTM from CPUID (raw) and enumerates
   * TSX_FORCE_ABORT + RTM_ALWAYS_ABORT, so Xen disables RTM and forces HLE/RTM back into its own
   * view (host), whence they reach the max policies; the defaults drop RTM for RTM_ALWAYS_ABORT.
   */
  @Test
  void boot_tsxRemovingMicrocode_hostAndMaxKeepHleRtm_defaultsAlwaysAbort() {
    Host on = Dumps.boot("Xeon-E7-8890-v3", "");
    Host off = Dumps.boot("Xeon-E7-8890-v3", "", Microcode.TSX_OFF);
    int hle = Feat.HLE;
    int rtm = Feat.RTM;
    assertTrue(on.featureset(PolicyIndex.HOST).contains(rtm));
    assertTrue(on.featureset(PolicyIndex.PV_DEFAULT).contains(rtm));
    assertFalse(on.rtmDisabled());
    assertTrue(off.rtmDisabled());
    assertFalse(off.featureset(PolicyIndex.RAW).contains(hle), "raw hle");
    assertFalse(off.featureset(PolicyIndex.RAW).contains(rtm), "raw rtm");
    for (PolicyIndex i : new PolicyIndex[] {PolicyIndex.PV_DEFAULT, PolicyIndex.HVM_DEFAULT}) {
      assertFalse(off.featureset(i).contains(hle), i + " hle");
      assertFalse(off.featureset(i).contains(rtm), i + " rtm");
      assertTrue(off.featureset(i).contains(Feat.RTM_ALWAYS_ABORT), i + " rtm-always-abort");
    }
    for (PolicyIndex i : new PolicyIndex[] {PolicyIndex.HOST, PolicyIndex.PV_MAX,
        PolicyIndex.HVM_MAX}) {
      assertTrue(off.featureset(i).contains(hle), i + " keeps hle");
      assertTrue(off.featureset(i).contains(rtm), i + " keeps rtm");
      assertTrue(off.featureset(i).contains(Feat.RTM_ALWAYS_ABORT), i + " rtm-always-abort");
    }
  }

  /**
   * The older erratum microcode hides HLE/RTM with no TSX control MSR: Xen has nothing to force
   * back, so the host and every max and default policy lack them (a guest's rtm=1 is clamped).
   */
  @Test
  void boot_tsxHidingMicrocode_hleRtmGoneFromHostMaxAndDefault() {
    Host on = Dumps.boot("Xeon-E7-8890-v3", "");
    Host hidden = Dumps.boot("Xeon-E7-8890-v3", "", Microcode.TSX_HIDDEN);
    assertTrue(on.featureset(PolicyIndex.PV_MAX).contains(Feat.HLE));
    assertFalse(hidden.rtmDisabled(), "no TSX controls: nothing for Xen to disable");
    for (PolicyIndex i : PolicyIndex.values()) {
      assertFalse(hidden.featureset(i).contains(Feat.HLE), i + " hle");
      assertFalse(hidden.featureset(i).contains(Feat.RTM), i + " rtm");
      assertFalse(hidden.featureset(i).contains(Feat.RTM_ALWAYS_ABORT), i + " rtm-always-abort");
    }
    assertEquals(on.featureset(PolicyIndex.HOST).without(Feat.HLE).without(Feat.RTM),
        hidden.featureset(PolicyIndex.HOST), "only hle and rtm go");
    Host nehalem = Dumps.boot("Xeon-W3520", "", Microcode.TSX_HIDDEN);
    assertEquals(Dumps.boot("Xeon-W3520", "").featureset(PolicyIndex.HOST),
        nehalem.featureset(PolicyIndex.HOST), "a CPU without TSX is unchanged");
  }

  /** Failed before the fix: tsx-off re-added hle+rtm to max on a CPU that never had TSX. */
  @Test
  void boot_tsxMicrocode_onCpuWithoutTsx_changesNothing() {
    Host off = Dumps.boot("Xeon-W3520", "", Microcode.TSX_OFF);
    Host asDumped = Dumps.boot("Xeon-W3520", "");
    assertFalse(off.rtmDisabled());
    for (PolicyIndex i : PolicyIndex.values()) {
      assertEquals(asDumped.policy(i), off.policy(i), i.toString());
    }
  }

  /** Failed before the fix: cpuid=no-rtm,no-hle came back in max under tsx-off. */
  @Test
  void boot_tsxMicrocode_clearedByCmdline_staysOutOfMax() {
    Host off = Dumps.boot("Xeon-E7-8890-v3", "cpuid=no-rtm,no-hle", Microcode.TSX_OFF);
    for (PolicyIndex i : PolicyIndex.values()) {
      assertFalse(off.featureset(i).contains(Feat.HLE), i + " hle");
      assertFalse(off.featureset(i).contains(Feat.RTM), i + " rtm");
    }
  }

  /** An explicit tsx=1 keeps RTM enabled on TSX_FORCE_ABORT hardware (opt_tsx wins). */
  @Test
  void boot_tsxMicrocode_tsx1_keepsRtmInDefaults() {
    Host h = Dumps.boot("Xeon-E7-8890-v3", "tsx=1", Microcode.TSX_OFF);
    assertFalse(h.rtmDisabled());
    assertTrue(h.featureset(PolicyIndex.PV_DEFAULT).contains(Feat.RTM));
  }

  /**
   * tsx_init(): a TSX_CTRL part with SRBDS_CTRL whose (Feb 2022) microcode enumerates
   * RTM_ALWAYS_ABORT defaults to tsx=0. Cooper Lake's dump (ARCH_CAPS.TSX_CTRL) with those two
   * bits added.
   */
  @Test
  void boot_tsxCtrlWithRtmAlwaysAbort_defaultsToRtmDisabled() {
    CpuDescription d = Dumps.load("Cooperlake");
    com.google.common.collect.ImmutableList.Builder<dev.xenlevelling.xc.policy.CpuidLeaf> leaves =
        com.google.common.collect.ImmutableList.builder();
    for (dev.xenlevelling.xc.policy.CpuidLeaf l : d.leaves()) {
      leaves.add(l.leaf() == 7 && l.subleaf() == 0
          ? new dev.xenlevelling.xc.policy.CpuidLeaf(7, 0, l.a(), l.b(), l.c(),
              l.d() | (1 << 9) | (1 << 11))
          : l);
    }
    CpuDescription feb2022 = new CpuDescription(d.source(), d.brand(), leaves.build(), d.msrs());
    Host h = Host.boot(new BootConfig(feb2022, "", Microcode.AS_DUMPED));
    assertTrue(h.featureset(PolicyIndex.RAW).contains(Feat.TSX_CTRL), "the dump has TSX_CTRL");
    assertTrue(h.rtmDisabled());
    assertFalse(h.featureset(PolicyIndex.HVM_DEFAULT).contains(Feat.RTM));
    assertTrue(h.featureset(PolicyIndex.HVM_MAX).contains(Feat.RTM));
    assertFalse(Host.boot(new BootConfig(feb2022, "tsx=1", Microcode.AS_DUMPED)).rtmDisabled());
    assertFalse(Dumps.boot("Cooperlake", "").rtmDisabled(), "without RTM_ALWAYS_ABORT");
  }

  static Stream<Arguments> virtSsbd() {
    return Stream.of(
        Arguments.of("Fam15h Bulldozer: legacy LS_CFG SSBD", "Opteron-6234", true),
        Arguments.of("Fam15h Piledriver: legacy LS_CFG SSBD", "A10-5800K", true),
        Arguments.of("Zen1 Naples (fam 0x17): legacy LS_CFG SSBD", "EPYC-7601-32-Core", true),
        Arguments.of("Hygon Dhyana (fam 0x18): legacy LS_CFG SSBD", "Hygon-C86-7185-32-core",
            true),
        Arguments.of("Fam10h: no SSBD mechanism", "Opteron-2350", false));
  }

  /** Failed before the fix: amd_virt_spec_ctrl was not modelled (only VIRT_SSBD/AMD_SSBD). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("virtSsbd")
  void boot_amdLegacySsbd_virtSsbdInHvmMaxAndDefault(String name, String dump, boolean expected) {
    Host h = Dumps.boot(dump, "");
    assertEquals(expected, h.featureset(PolicyIndex.HVM_MAX).contains(Feat.VIRT_SSBD), "max");
    assertEquals(expected, h.featureset(PolicyIndex.HVM_DEFAULT).contains(Feat.VIRT_SSBD),
        "default");
  }

  /** Zen2+ have SPEC_CTRL.SSBD: VIRT_SSBD in max only (the preference is SPEC_CTRL.SSBD). */
  @Test
  void boot_amdSsbd_virtSsbdInMaxOnly() {
    Host h = Dumps.boot("EPYC-7502-32-Core", "");
    assertTrue(h.featureset(PolicyIndex.HOST).contains(Feat.AMD_SSBD));
    assertTrue(h.featureset(PolicyIndex.HVM_MAX).contains(Feat.VIRT_SSBD));
    assertFalse(h.featureset(PolicyIndex.HVM_DEFAULT).contains(Feat.VIRT_SSBD));
  }

  /** Failed before the fix (EPYC-7502 showed 0013bcff): calculate_hvm_max_policy's SVM clamp. */
  @Test
  void boot_svm_hvmMaxSvmLeafClamped() {
    Host h = Dumps.boot("EPYC-7502-32-Core", "");
    int hostEdx = Policies.reg(h.policy(PolicyIndex.HOST), 0x8000000a, 0,
        dev.xenlevelling.xc.policy.Register.EDX);
    assertEquals(0x0013bcff, hostEdx, "host SVM features (from the dump)");
    assertEquals(0x4ab, Policies.reg(h.policy(PolicyIndex.HVM_MAX), 0x8000000a, 0,
        dev.xenlevelling.xc.policy.Register.EDX));
  }

  @Test
  void boot_tsxMicrocode_onAmd_changesNothing() {
    Host h = Dumps.boot("EPYC-7713-64-Core", "", Microcode.TSX_OFF);
    assertEquals(Dumps.boot("EPYC-7713-64-Core", "").featureset(PolicyIndex.HOST),
        h.featureset(PolicyIndex.HOST));
  }

  @Test
  void boot_hap0_hvmSetsFromShadowMasks() {
    Host hap = Dumps.boot("Xeon-Gold-6148", "");
    Host shadow = Dumps.boot("Xeon-Gold-6148", "hap=0");
    assertTrue(hap.hapSupported());
    assertFalse(shadow.hapSupported());
    int page1gb = Feat.n("page1gb");
    assertTrue(hap.featureset(PolicyIndex.HVM_DEFAULT).contains(page1gb));
    assertFalse(shadow.featureset(PolicyIndex.HVM_DEFAULT).contains(page1gb));
    assertFalse(shadow.featureset(PolicyIndex.HVM_MAX).contains(Feat.n("pcid")));
    assertFalse(shadow.physinfo().virtCaps().contains(VirtCap.HAP));
    assertTrue(hap.physinfo().virtCaps().contains(VirtCap.HAP));
  }

  @Test
  void boot_cpuidNoXsave_clearsDeepDependents() {
    Host h = Dumps.boot("Xeon-Gold-6148", "cpuid=no-xsave");
    Featureset host = h.featureset(PolicyIndex.HOST);
    assertFalse(host.contains(Feat.XSAVE));
    for (String dep : new String[] {"avx", "avx2", "avx512f", "fma", "xsaveopt", "mpx"}) {
      assertFalse(host.contains(Feat.n(dep)), dep);
    }
    assertFalse(h.featureset(PolicyIndex.HVM_MAX).contains(Feat.n("avx512f")));
    assertTrue(host.contains(Feat.n("sse4-2")));
    assertTrue(h.warnings().isEmpty());
  }

  @Test
  void boot_unknownCpuidName_isWarnedAndIgnored() {
    Host h = Dumps.boot("Xeon-Gold-6148", "cpuid=no-bogus console=vga");
    assertEquals(2, h.warnings().size(), h.warnings().toString());
    assertEquals(Dumps.boot("Xeon-Gold-6148", "").featureset(PolicyIndex.HOST),
        h.featureset(PolicyIndex.HOST));
  }

  @Test
  void boot_amdFam15_clearsRdrandUnlessForced() {
    // No Fam15h dump has RDRAND (it came with Fam15h model 0x30+), so give the A10 one.
    CpuDescription a10 = Dumps.load("A10-5800K");
    com.google.common.collect.ImmutableList.Builder<dev.xenlevelling.xc.policy.CpuidLeaf> b =
        com.google.common.collect.ImmutableList.builder();
    for (dev.xenlevelling.xc.policy.CpuidLeaf l : a10.leaves()) {
      b.add(l.leaf() == 1 ? new dev.xenlevelling.xc.policy.CpuidLeaf(1, l.subleaf(), l.a(), l.b(),
          l.c() | (1 << 30), l.d()) : l);
    }
    CpuDescription withRdrand = new CpuDescription("a10+rdrand", "", b.build(), a10.msrs());
    Host dflt = Host.boot(new BootConfig(withRdrand, "", Microcode.AS_DUMPED));
    Host forced = Host.boot(new BootConfig(withRdrand, "cpuid=rdrand", Microcode.AS_DUMPED));
    assertTrue(dflt.featureset(PolicyIndex.RAW).contains(Feat.RDRAND));
    assertFalse(dflt.featureset(PolicyIndex.HOST).contains(Feat.RDRAND));
    assertTrue(forced.featureset(PolicyIndex.HOST).contains(Feat.RDRAND));
  }

  @Test
  void boot_ivyBridge_rdrandOffByDefaultOnInMax() {
    Host h = Dumps.boot("Core-i7-3740QM", "");
    assertTrue(h.featureset(PolicyIndex.PV_MAX).contains(Feat.RDRAND));
    assertFalse(h.featureset(PolicyIndex.PV_DEFAULT).contains(Feat.RDRAND));
  }

  @Test
  void boot_amdBeforeZen3_synthesisesLfenceDispatchAndRaisesExtdMax() {
    Host h = Dumps.boot("EPYC-7601-32-Core", "");
    assertFalse(h.featureset(PolicyIndex.RAW).contains(Feat.LFENCE_DISPATCH));
    assertTrue(h.featureset(PolicyIndex.HOST).contains(Feat.LFENCE_DISPATCH));
    assertEquals(0x80000021, h.policy(PolicyIndex.HOST).extdMaxLeaf());
  }

  @Test
  void boot_hostPolicyMaxLeavesClampedToXensArrays() {
    Host h = Dumps.boot("Xeon-w7-3465X", "");
    assertEquals(0x20, h.policy(PolicyIndex.RAW).basicMaxLeaf());
    assertEquals(0xd, h.policy(PolicyIndex.HOST).basicMaxLeaf());
    assertEquals(2, h.policy(PolicyIndex.HOST).leaf7MaxSubleaf());
  }

  @Test
  void boot_physinfoHwCapsAreFirstEightHostWords() {
    Host h = Dumps.boot("Core-i5-6600", "");
    assertEquals(h.featureset(PolicyIndex.HOST).withLength(8), h.physinfo().hwCaps());
    assertEquals("pv hvm hap shadow gnttab-v1 gnttab-v2", h.physinfo().virtCapsText());
  }

  static Stream<Arguments> xstateSizes() {
    return Stream.of(
        Arguments.of("SPR host has AMX (0x2b00)", "Xeon-w7-3465X", "", PolicyIndex.HOST, 0x2b00),
        Arguments.of("SPR HVM default: no AMX for guests, PKRU last", "Xeon-w7-3465X", "",
            PolicyIndex.HVM_DEFAULT, 0xa88),
        Arguments.of("SKX PV default without avx512f: AVX only", "Xeon-Gold-6148",
            "cpuid=no-avx512f", PolicyIndex.PV_DEFAULT, 0x340),
        Arguments.of("SKX HVM default without avx512f: PKRU still at 0xa80", "Xeon-Gold-6148",
            "cpuid=no-avx512f", PolicyIndex.HVM_DEFAULT, 0xa88),
        Arguments.of("SandyBridge host: AVX", "Core-i7-2600", "", PolicyIndex.HOST, 0x340),
        Arguments.of("no xsave: leaf 0xd empty", "Core-i7-2600", "cpuid=no-xsave",
            PolicyIndex.HOST, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("xstateSizes")
  void boot_xstateRecalculatedFromFeatures(String name, String dump, String cmdline,
      PolicyIndex i, int size) {
    Host h = Dumps.boot(dump, cmdline);
    assertEquals(size, h.policy(i).xstateSize(), name);
    assertEquals(0, h.policy(i).xstateSizeEnabled(), "dynamic size zero");
  }
}
