package dev.xenlevelling.xc.hv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.ClampedFeature;
import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.PvLevelling;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.PolicyError;
import dev.xenlevelling.xc.policy.PolicyException;
import dev.xenlevelling.xc.policy.Register;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HypervisorTest {
  private static final FeatureTable T = FeatureTable.latest();
  private static final int NO = CpuidLeaf.NO_SUBLEAF;

  interface Call {
    void run(Hypervisor hv) throws PolicyException;
  }

  static Hypervisor hv(String dump, String cmdline) {
    return Hypervisor.inMemory(Dumps.boot(dump, cmdline));
  }

  static PolicyException fails(Errno errno, Hypervisor hv, Call call) {
    PolicyException e = assertThrows(PolicyException.class, () -> call.run(hv));
    assertEquals(errno, e.errno(), e.getMessage());
    return e;
  }

  // --- get_cpu_featureset -------------------------------------------------------------------

  static Stream<Arguments> featuresetErrors() {
    return Stream.of(
        Arguments.of("index 6 is past the table", "", 6, Errno.EINVAL),
        Arguments.of("negative index", "", -1, Errno.EINVAL),
        Arguments.of("pv=0: PV default compiled out", "pv=0", 2, Errno.EOPNOTSUPP),
        Arguments.of("pv=0: PV max compiled out", "pv=0", 4, Errno.EOPNOTSUPP),
        Arguments.of("hvm=0: HVM default compiled out", "hvm=0", 3, Errno.EOPNOTSUPP),
        Arguments.of("hvm=0: HVM max compiled out", "hvm=0", 5, Errno.EOPNOTSUPP),
        Arguments.of("bad index beats compiled out", "pv=0 hvm=0", 7, Errno.EINVAL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("featuresetErrors")
  void getCpuFeatureset_errors(String name, String cmdline, int index, Errno errno) {
    fails(errno, hv("Core-i5-6600", cmdline), h -> h.getCpuFeatureset(index, new int[19]));
  }

  @Test
  void getCpuFeatureset_compiledOutLeavesOtherIndices() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "pv=0");
    assertEquals(19, h.getCpuFeatureset(0, new int[19]));
    assertEquals(19, h.getCpuFeatureset(3, new int[19]));
  }

  @Test
  void getCpuFeatureset_shortBuffer_copiesThenEnobufs() {
    Hypervisor h = hv("Xeon-w7-3465X", "");
    int[] buf = new int[5];
    fails(Errno.ENOBUFS, h, x -> x.getCpuFeatureset(1, buf));
    assertArrayEquals(Arrays.copyOf(h.host().featureset(PolicyIndex.HOST).toArray(), 5), buf);
  }

  @Test
  void getCpuFeatureset_longBuffer_clippedRestUntouched() throws Exception {
    Hypervisor h = hv("Xeon-w7-3465X", "");
    int[] buf = new int[25];
    Arrays.fill(buf, 0xdead);
    assertEquals(19, h.getCpuFeatureset(1, buf));
    assertEquals(0xdead, buf[19]);
    assertEquals(h.host().featureset(PolicyIndex.HOST), Featureset.of(Arrays.copyOf(buf, 19)));
  }

  @Test
  void getCpuFeatureset_indicesInXensOrder() throws Exception {
    Hypervisor h = hv("Xeon-Gold-6148", "");
    PolicyIndex[] expected = {PolicyIndex.RAW, PolicyIndex.HOST, PolicyIndex.PV_DEFAULT,
        PolicyIndex.HVM_DEFAULT, PolicyIndex.PV_MAX, PolicyIndex.HVM_MAX};
    for (int i = 0; i < 6; i++) {
      int[] buf = new int[19];
      h.getCpuFeatureset(i, buf);
      assertEquals(h.host().featureset(expected[i]), Featureset.of(buf), "index " + i);
    }
  }

  // --- get_cpu_policy -----------------------------------------------------------------------

  @Test
  void getCpuPolicy_indexOrderDiffersFromFeaturesets() throws Exception {
    Hypervisor h = hv("Xeon-Gold-6148", "");
    assertEquals(h.host().policy(PolicyIndex.PV_MAX), h.getCpuPolicy(2));
    assertEquals(h.host().policy(PolicyIndex.HVM_DEFAULT), h.getCpuPolicy(5));
  }

  @Test
  void getCpuPolicy_errors() {
    fails(Errno.EINVAL, hv("Xeon-Gold-6148", ""), h -> h.getCpuPolicy(6));
    fails(Errno.EOPNOTSUPP, hv("Xeon-Gold-6148", "hvm=0"), h -> h.getCpuPolicy(3));
    fails(Errno.EOPNOTSUPP, hv("Xeon-Gold-6148", "pv=0"), h -> h.getCpuPolicy(4));
    fails(Errno.ENOBUFS, hv("Xeon-Gold-6148", ""), h -> h.getCpuPolicy(1, 10, 2));
    fails(Errno.ENOBUFS, hv("Xeon-Gold-6148", ""), h -> h.getCpuPolicy(1, 120, 1));
  }

  @Test
  void getCpuPolicy_fullBuffers() throws Exception {
    assertEquals(hv("Xeon-Gold-6148", "").getCpuPolicy(1),
        hv("Xeon-Gold-6148", "").getCpuPolicy(1, CpuPolicy.MAX_SERIALISED_LEAVES, 2));
  }

  // --- createdomain / destroy / unpause / getdomaininfo --------------------------------------

  static Stream<Arguments> createErrors() {
    return Stream.of(
        Arguments.of("HAP on a PV guest", "Core-i5-6600", "", DomainType.PV, true, false),
        Arguments.of("nested HVM on a PV guest", "Core-i5-6600", "", DomainType.PV, false, true),
        Arguments.of("PV compiled out", "Core-i5-6600", "pv=0", DomainType.PV, false, false),
        Arguments.of("HVM compiled out", "Core-i5-6600", "hvm=0", DomainType.HVM, false, false),
        Arguments.of("HVM without VT-x (Atom D510)", "Atom-D510", "", DomainType.HVM, false, false),
        Arguments.of("HAP without EPT (Core 2)", "Core2-E6850", "", DomainType.HVM, true, false),
        Arguments.of("HAP with hap=0", "Core-i5-6600", "hap=0", DomainType.HVM, true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createErrors")
  void createDomain_errors(String name, String dump, String cmdline, DomainType type, boolean hap,
      boolean nested) {
    fails(Errno.EINVAL, hv(dump, cmdline), h -> h.createDomain(type, hap, nested));
  }

  @Test
  void createDomain_uniqueIdsPausedWithDefaultPolicy() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    int a = h.createDomain(DomainType.PV, false, false);
    int b = h.createDomain(DomainType.HVM, true, false);
    assertEquals(1, a);
    assertEquals(2, b);
    DomainInfo info = h.getDomainInfo(b);
    assertTrue(info.paused());
    assertFalse(info.hasRun());
    assertTrue(info.hap());
    // The default policy, plus the two bits recalculate_cpuid_policy always takes from the host.
    Featureset fromHost = h.host().featureset(PolicyIndex.HOST)
        .and(T.featuresetOf(List.of("fdp-excp-only", "no-fpu-sel")));
    assertEquals(h.host().featureset(PolicyIndex.PV_DEFAULT).or(fromHost),
        h.getDomainCpuPolicy(a).featureset(T));
    assertEquals(h.host().featureset(PolicyIndex.HVM_DEFAULT).or(fromHost),
        h.getDomainCpuPolicy(b).featureset(T));
    assertEquals(List.of(0, 1, 2),
        h.listDomains().stream().map(DomainInfo::domid).collect(Collectors.toList()));
    h.destroyDomain(a);
    assertEquals(3, h.createDomain(DomainType.PV, false, false), "ids are not reused at once");
  }

  @Test
  void destroyUnpauseInfo_errors() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    fails(Errno.EINVAL, h, x -> x.destroyDomain(0));
    fails(Errno.ESRCH, h, x -> x.destroyDomain(7));
    fails(Errno.ESRCH, h, x -> x.unpauseDomain(7));
    fails(Errno.EINVAL, h, x -> x.unpauseDomain(0));
    fails(Errno.ESRCH, h, x -> x.getDomainInfo(7));
    fails(Errno.ESRCH, h, x -> x.getDomainCpuPolicy(7));
    int d = h.createDomain(DomainType.PV, false, false);
    h.unpauseDomain(d);
    assertTrue(h.getDomainInfo(d).hasRun());
    fails(Errno.EINVAL, h, x -> x.unpauseDomain(d));
    h.destroyDomain(d);
    fails(Errno.ESRCH, h, x -> x.getDomainInfo(d));
    assertEquals(DomainType.PV, h.getDomainInfo(0).type());
  }

  // --- set_cpu_policy ------------------------------------------------------------------------

  static List<CpuidLeaf> leaves(int n) {
    List<CpuidLeaf> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(new CpuidLeaf(0xd, i % 60, 0, 0, 0, 0));
    }
    return l;
  }

  static Stream<Arguments> setPolicyErrors() {
    MsrEntry pi = new MsrEntry(MsrEntry.PLATFORM_INFO, 0, 0);
    return Stream.of(
        Arguments.of("121 leaves", leaves(121), List.of(), Errno.E2BIG, PolicyError.UNKNOWN),
        Arguments.of("3 MSRs", List.of(), List.of(pi, pi, pi), Errno.E2BIG, PolicyError.UNKNOWN),
        Arguments.of("basic leaf 0xe", List.of(new CpuidLeaf(0xe, NO, 0, 0, 0, 0)), List.of(),
            Errno.ERANGE, PolicyError.leaf(0xe, NO)),
        Arguments.of("leaf 7 subleaf 3", List.of(new CpuidLeaf(7, 3, 0, 0, 0, 0)), List.of(),
            Errno.ERANGE, PolicyError.leaf(7, 3)),
        Arguments.of("subleaf on leaf 1", List.of(new CpuidLeaf(1, 0, 0, 0, 0, 0)), List.of(),
            Errno.ERANGE, PolicyError.leaf(1, 0)),
        Arguments.of("extended 0x80000022",
            List.of(new CpuidLeaf(0x80000022, NO, 0, 0, 0, 0)), List.of(),
            Errno.ERANGE, PolicyError.leaf(0x80000022, NO)),
        Arguments.of("MSR flags", List.of(), List.of(new MsrEntry(0x10a, 1, 0)),
            Errno.EINVAL, PolicyError.msr(0x10a)),
        Arguments.of("MSR 0x123", List.of(), List.of(new MsrEntry(0x123, 0, 0)),
            Errno.ERANGE, PolicyError.msr(0x123)),
        Arguments.of("PLATFORM_INFO wider than 32 bits", List.of(),
            List.of(new MsrEntry(0xce, 0, 1L << 40)), Errno.EOVERFLOW, PolicyError.msr(0xce)),
        Arguments.of("basic max leaf above max policy",
            List.of(new CpuidLeaf(0, NO, 0x20, 0x756e6547, 0x6c65746e, 0x49656e69)), List.of(),
            Errno.EINVAL, PolicyError.leaf(0, NO)),
        Arguments.of("leaf 7 max subleaf above max policy",
            List.of(new CpuidLeaf(7, 0, 3, 0, 0, 0)), List.of(), Errno.EINVAL,
            PolicyError.leaf(7, 0)),
        Arguments.of("extended max leaf above max policy",
            List.of(new CpuidLeaf(0x80000000, NO, 0x80000022, 0, 0, 0)), List.of(), Errno.EINVAL,
            PolicyError.leaf(0x80000000, NO)),
        Arguments.of("other vendor (latest refuses)",
            List.of(new CpuidLeaf(0, NO, 0xd, 0x68747541, 0x444d4163, 0x69746e65)), List.of(),
            Errno.EINVAL, PolicyError.leaf(0, NO)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setPolicyErrors")
  void setCpuPolicy_errors(String name, List<CpuidLeaf> leaves, List<MsrEntry> msrs, Errno errno,
      PolicyError where) throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    int d = h.createDomain(DomainType.HVM, true, false);
    CpuPolicy before = h.getDomainCpuPolicy(d);
    PolicyException e = fails(errno, h, x -> x.setCpuPolicy(d, leaves, msrs));
    assertEquals(where, e.position());
    assertEquals(before, h.getDomainCpuPolicy(d), "a refused policy changes nothing");
  }

  @Test
  void setCpuPolicy_platformInfoFaultingOnNonFaultingHost_einvalErrMsr() throws Exception {
    Hypervisor h = hv("Core2-E6850", "");
    int d = h.createDomain(DomainType.PV, false, false);
    PolicyException e = fails(Errno.EINVAL, h, x -> x.setCpuPolicy(d, List.of(),
        List.of(new MsrEntry(0xce, 0, 0x80000000L))));
    assertEquals(PolicyError.msr(0xce), e.position());
  }

  @Test
  void setCpuPolicy_ownPolicyBack_unchanged() throws Exception {
    Hypervisor h = hv("Xeon-Gold-6148", "");
    int d = h.createDomain(DomainType.HVM, true, false);
    CpuPolicy p = h.getDomainCpuPolicy(d);
    ClampReport r = h.setCpuPolicy(d, p.toLeaves(), p.toMsrs());
    assertTrue(r.unchanged(), r.toString());
    assertEquals(p, h.getDomainCpuPolicy(d));
  }

  @Test
  void setCpuPolicy_selfMissingAndFrozen() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    fails(Errno.EINVAL, h, x -> x.setCpuPolicy(0, List.of(), List.of()));
    fails(Errno.ESRCH, h, x -> x.setCpuPolicy(9, List.of(), List.of()));
    int d = h.createDomain(DomainType.PV, false, false);
    h.setCpuPolicy(d, List.of(), List.of());
    h.unpauseDomain(d);
    fails(Errno.EEXIST, h, x -> x.setCpuPolicy(d, List.of(), List.of()));
  }

  /** Returns the domain's policy with the named features forced on/off, serialised. */
  static List<CpuidLeaf> with(CpuPolicy p, List<String> on, List<String> off) {
    Featureset fs = p.featureset(T).or(T.featuresetOf(on)).andNot(T.featuresetOf(off));
    return p.withFeatureset(fs, T).toLeaves();
  }

  static Stream<Arguments> clamps() {
    return Stream.of(
        Arguments.of("avx512f on a client without it: not in host", "Core-i5-6600",
            DomainType.HVM, true, false, List.of("avx512f"), List.of(),
            "avx512f", ClampedFeature.Reason.NOT_IN_HOST, "not in host"),
        Arguments.of("pcid (HAP only) for PV: not offered", "Xeon-Gold-6148",
            DomainType.PV, false, false, List.of("pcid"), List.of(),
            "pcid", ClampedFeature.Reason.NOT_FOR_GUEST_TYPE, "not in PV max"),
        Arguments.of("page1gb for HVM with hap=0: shadow max", "Xeon-Gold-6148",
            DomainType.HVM, false, false, List.of("page1gb"), List.of(),
            "page1gb", ClampedFeature.Reason.NOT_FOR_GUEST_TYPE,
            "not in HVM shadow max (hap=0)"),
        Arguments.of("vmx without nested virt", "Xeon-Gold-6148",
            DomainType.HVM, true, false, List.of("vmx"), List.of(),
            "vmx", ClampedFeature.Reason.NOT_FOR_GUEST_TYPE, "needs nested virtualisation"),
        Arguments.of("avx2 with avx off: dependency", "Xeon-Gold-6148",
            DomainType.HVM, true, false, List.of("avx2"), List.of("avx"),
            "avx2", ClampedFeature.Reason.DEPENDENCY, "needs avx"),
        Arguments.of("avx512f with xsave off: dependency", "Xeon-Gold-6148",
            DomainType.PV, false, false, List.of(), List.of("xsave"),
            "avx512f", ClampedFeature.Reason.DEPENDENCY, "needs xsave"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clamps")
  void setCpuPolicy_clampsSilentlyAndSaysWhy(String name, String dump, DomainType type,
      boolean hap, boolean nested, List<String> on, List<String> off, String feature,
      ClampedFeature.Reason reason, String detail) throws Exception {
    Hypervisor h = hv(dump, type == DomainType.HVM && !hap ? "" : "");
    int d = h.createDomain(type, hap, nested);
    ClampReport r = h.setCpuPolicy(d, with(h.getDomainCpuPolicy(d), on, off), List.of());
    ClampedFeature c = r.removed().stream().filter(x -> x.name().equals(feature)).findFirst()
        .orElseThrow(() -> new AssertionError(feature + " not reported: " + r.removed()));
    assertEquals(reason, c.reason());
    assertEquals(detail, c.detail());
    assertFalse(h.getDomainCpuPolicy(d).featureset(T).contains(Feat.n(feature)));
    assertEquals(r.policy(), h.getDomainCpuPolicy(d));
  }

  @Test
  void setCpuPolicy_clearingAFeature_dependentsReportedAsDependency() throws Exception {
    Hypervisor h = hv("Xeon-Gold-6148", "");
    int d = h.createDomain(DomainType.HVM, true, false);
    ClampReport r = h.setCpuPolicy(d,
        with(h.getDomainCpuPolicy(d), List.of(), List.of("avx512f")), List.of());
    assertEquals(List.of("avx512dq", "avx512cd", "avx512bw", "avx512vl"),
        r.removed().stream().map(ClampedFeature::name).collect(Collectors.toList()));
    assertTrue(r.removed().stream().allMatch(c -> c.detail().equals("needs avx512f")));
    Featureset fs = h.getDomainCpuPolicy(d).featureset(T);
    assertFalse(fs.contains(Feat.n("avx512f")));
    assertFalse(fs.contains(Feat.n("avx512bw")), "dependents of a cleared feature go too");
  }

  @Test
  void setCpuPolicy_maxphysaddrClampedAndFloored() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    int d = h.createDomain(DomainType.HVM, true, false);
    int hostPhys = h.host().policy(PolicyIndex.HOST).maxPhysAddr();
    ClampReport r = h.setCpuPolicy(d, List.of(new CpuidLeaf(0x80000008, NO, 52 | (57 << 8), 0, 0, 0)),
        List.of());
    assertEquals(hostPhys, h.getDomainCpuPolicy(d).maxPhysAddr());
    assertEquals(48, h.getDomainCpuPolicy(d).maxLinAddr());
    assertTrue(r.fields().stream().anyMatch(f -> f.name().equals("maxphysaddr")), r.fields().toString());
    h.setCpuPolicy(d, List.of(new CpuidLeaf(0x80000008, NO, 20 | (48 << 8), 0, 0, 0)), List.of());
    assertEquals(36, h.getDomainCpuPolicy(d).maxPhysAddr(), "at least 36 with PAE");
  }

  @Test
  void setCpuPolicy_intelExtendedMaxLeafLimitedTo0x80000008() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    int d = h.createDomain(DomainType.PV, false, false);
    h.setCpuPolicy(d, List.of(new CpuidLeaf(0x80000000, NO, 0x80000021, 0, 0, 0)), List.of());
    assertEquals(0x80000008, h.getDomainCpuPolicy(d).extdMaxLeaf());
  }

  // --- PV levelling ---------------------------------------------------------------------------

  @Test
  void pvLevelling_faultingHost_noMasksNothingUnenforceable() throws Exception {
    Hypervisor h = hv("Core-i7-3740QM", "");
    int d = h.createDomain(DomainType.PV, false, false);
    PvLevelling l = h.getPvLevelling(d);
    assertTrue(l.faulting());
    assertTrue(l.masks().isEmpty());
    assertTrue(l.unenforceable().isEmpty());
  }

  @Test
  void pvLevelling_sandyBridge_masksAndLeaksOfUncoveredLeaves() throws Exception {
    Hypervisor h = hv("Core-i7-2600", "");
    int d = h.createDomain(DomainType.PV, false, false);
    h.setCpuPolicy(d, with(h.getDomainCpuPolicy(d), List.of(), List.of("popcnt")), List.of());
    PvLevelling l = h.getPvLevelling(d);
    assertFalse(l.faulting());
    assertEquals(List.of("1cd", "e1cd", "Da1"), ImmutableList.copyOf(l.masks().keySet()));
    long m1cd = l.masks().get("1cd");
    assertEquals(0, m1cd & (1L << (Feat.n("popcnt") & 31)), "popcnt masked (ecx is the low half)");
    assertTrue(l.unenforceable().stream().anyMatch(u -> u.name().equals("itsc")
        && u.why().equals("no masking MSR for this leaf")), l.unenforceable().toString());
    assertTrue(l.unenforceable().stream().noneMatch(u -> u.name().equals("popcnt")));
  }

  @Test
  void pvLevelling_core2_noMasksEverythingLeaks() throws Exception {
    Hypervisor h = hv("Core2-E6850", "");
    int d = h.createDomain(DomainType.PV, false, false);
    h.setCpuPolicy(d, with(h.getDomainCpuPolicy(d), List.of(), List.of("ssse3")), List.of());
    PvLevelling l = h.getPvLevelling(d);
    assertTrue(l.masks().isEmpty());
    assertTrue(l.unenforceable().stream().anyMatch(u -> u.name().equals("ssse3")));
  }

  @Test
  void pvLevelling_amdOverride_hypervisorBitForwarded() throws Exception {
    Hypervisor h = hv("EPYC-7601-32-Core", "");
    int d = h.createDomain(DomainType.PV, false, false);
    PvLevelling l = h.getPvLevelling(d);
    assertEquals(List.of("1cd", "e1cd", "7ab0"), ImmutableList.copyOf(l.masks().keySet()));
    assertTrue((l.masks().get("1cd") >>> 32 & (1L << 31)) != 0, "hypervisor (ecx high half)");
  }

  @Test
  void pvLevelling_hvmDomain_einval() throws Exception {
    Hypervisor h = hv("Core2-E6850", "");
    int d = h.createDomain(DomainType.HVM, false, false);
    fails(Errno.EINVAL, h, x -> x.getPvLevelling(d));
  }

  @Test
  void dom0Policy_isPvDefaultPlusItsc() throws Exception {
    Hypervisor h = hv("Xeon-Gold-6148", "");
    assertTrue(h.getDomainCpuPolicy(0).featureset(T).contains(Feat.n("itsc")));
    assertFalse(h.host().featureset(PolicyIndex.PV_DEFAULT).contains(Feat.n("itsc")));
    assertEquals(0, Policies.reg(h.getDomainCpuPolicy(0), 1, 0, Register.EBX) >>> 24);
  }

  @Test
  void dom0Cpuid_enablesAndDisablesInDom0Only() throws Exception {
    Hypervisor h = hv("Xeon-Gold-6148", "dom0-cpuid=no-avx2,hle,mpx,avx512f=0");
    Featureset fs = h.getDomainCpuPolicy(0).featureset(T);
    assertFalse(fs.contains(Feat.n("avx2")));
    assertFalse(fs.contains(Feat.n("avx512bw")), "dependents of a disabled feature go too");
    assertTrue(fs.contains(Feat.HLE), "hle is in PV max (a), so dom0 may have it");
    assertFalse(fs.contains(Feat.n("mpx")), "mpx is HVM only (s): clamped away");
    int d = h.createDomain(DomainType.PV, false, false);
    assertTrue(h.getDomainCpuPolicy(d).featureset(T).contains(Feat.n("avx2")));
  }

  // --- the old set_cpuid -----------------------------------------------------------------------

  @Test
  void setCpuid_errorsAndTableOf40() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    fails(Errno.EINVAL, h, x -> x.setCpuid(0, new CpuidLeaf(1, NO, 1, 0, 0, 0)));
    fails(Errno.ESRCH, h, x -> x.setCpuid(5, new CpuidLeaf(1, NO, 1, 0, 0, 0)));
    int d = h.createDomain(DomainType.PV, false, false);
    for (int i = 0; i < Hypervisor.MAX_CPUID_INPUT; i++) {
      h.setCpuid(d, new CpuidLeaf(0x40 + i, NO, 1, 0, 0, 0));
    }
    fails(Errno.ENOENT, h, x -> x.setCpuid(d, new CpuidLeaf(0x99, NO, 1, 0, 0, 0)));
    h.setCpuid(d, new CpuidLeaf(0x40, NO, 2, 0, 0, 0)); // a replacement needs no free slot
    h.setCpuid(d, new CpuidLeaf(0x41, NO, 0, 0, 0, 0)); // all zero deletes
    h.setCpuid(d, new CpuidLeaf(0x99, NO, 1, 0, 0, 0)); // so there is room again
    assertEquals(2, h.guestCpuid(d, 0x40, 0).a());
    assertEquals(0, h.guestCpuid(d, 0x41, 0).a());
  }

  @Test
  void setCpuid_unusedSubleafMatchesAny_andGuestSeesItClamped() throws Exception {
    Hypervisor h = hv("Core-i5-6600", "");
    int d = h.createDomain(DomainType.PV, false, false);
    assertEquals(h.getDomainCpuPolicy(d).leaf(1, NO).orElseThrow(), h.guestCpuid(d, 1, 0),
        "before any set_cpuid the guest sees its policy");
    h.setCpuid(d, new CpuidLeaf(1, NO, 0x506e3, 0x12345678, -1, -1));
    CpuidLeaf seen = h.guestCpuid(d, 1, 7);
    assertEquals(0x506e3, seen.a(), "non-feature registers as set");
    assertEquals(0x12345678, seen.b());
    Featureset pvMax = h.host().featureset(PolicyIndex.PV_MAX);
    assertEquals(pvMax.word(1), seen.c(), "1c clamped to the PV max featureset");
    assertEquals(pvMax.word(0), seen.d());
    assertEquals(new CpuidLeaf(6, 0, 0, 0, 0, 0), h.guestCpuid(d, 6, 0), "unset leaves are zero");
  }
}
