package dev.xenlevelling.xc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.ClampedFeature;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.PolicyError;
import dev.xenlevelling.xc.policy.Register;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XcInterfaceTest {
  private static final FeatureTable T = FeatureTable.latest();
  private static final int NO = CpuidLeaf.NO_SUBLEAF;

  @TempDir
  Path tmp;

  static XcInterface xc(String dump) throws Exception {
    String res = "/dev/xenlevelling/xc/hv/dumps/x86_64-cpuid-" + dump + ".xml";
    CpuDescription cpu;
    try (java.io.InputStream in = XcInterfaceTest.class.getResourceAsStream(res)) {
      cpu = CpuSources.fromStream(res, in);
    }
    return XcInterface.of(Hypervisor.inMemory(Host.boot(new BootConfig(cpu, "", Microcode.AS_DUMPED))));
  }

  static boolean has(CpuPolicy p, String name) {
    return p.featureset(T).contains(T.byName(name).get().index());
  }

  /** A 32-character string of 'x' with {@code c} at bit {@code bit}. */
  static String xs(int bit, char c) {
    char[] s = "x".repeat(32).toCharArray();
    s[31 - bit] = c;
    return new String(s);
  }

  static int bitOf(String name) {
    return T.byName(name).get().bit();
  }

  @Test
  void open_unbootedDir_enoent() {
    XcException e = assertThrows(XcException.class, () -> XcInterface.open(tmp.resolve("x")));
    assertEquals(Errno.ENOENT, e.errno());
  }

  @Test
  void getCpuFeatureset_shortBuffer_enobufsAfterCopy() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int[] buf = new int[2];
    XcException e = assertThrows(XcException.class, () -> x.getCpuFeatureset(1, buf));
    assertEquals(Errno.ENOBUFS, e.errno());
    assertEquals(x.getCpuFeatureset(FeaturesetIndex.HOST).word(1), buf[1]);
  }

  @Test
  void setCpuPolicy_erange_carriesErrFields() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int d = x.createDomain(DomainType.PV, false, false);
    XcException e = assertThrows(XcException.class, () -> x.setCpuPolicy(d,
        List.of(new CpuidLeaf(0x14, NO, 0, 0, 0, 0)), List.of()));
    assertEquals(Errno.ERANGE, e.errno());
    assertEquals(Optional.of(PolicyError.leaf(0x14, NO)), e.position());
  }

  @Test
  void applyPolicy_hvmTopology() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int d = x.createDomain(DomainType.HVM, true, false);
    x.cpuidApplyPolicy(d, false, Optional.empty(), true, false, false, List.of(), List.of());
    CpuPolicy p = x.getDomainCpuPolicy(d);
    CpuPolicy def = x.getCpuPolicy(PolicyIndex.HVM_DEFAULT);
    assertTrue(has(p, "htt"));
    assertFalse(has(p, "cmp-legacy"));
    int lppp = (def.reg(1, NO, Register.EBX) >>> 16) & 0xff;
    assertEquals(lppp == 0 ? 2 : lppp * 2, (p.reg(1, NO, Register.EBX) >>> 16) & 0xff);
    int cores = p.reg(4, 0, Register.EAX) >>> 26;
    assertEquals(((def.reg(4, 0, Register.EAX) >>> 26) << 1 | 1) & 0x3f, cores);
    assertEquals(0, (p.reg(4, 0, Register.EAX) >>> 14) & 0xfff, "threads_per_cache = 0");
  }

  @Test
  void applyPolicy_xendClearsABit() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int d = x.createDomain(DomainType.PV, false, false);
    ClampReport r = x.cpuidApplyPolicy(d, false, Optional.empty(), true, false, false,
        List.of(new XendCpuid(1, XendCpuid.NO_SUBLEAF, Optional.empty(), Optional.empty(),
            Optional.of(xs(bitOf("sse4-2"), '0')), Optional.empty())), List.of());
    assertFalse(has(x.getDomainCpuPolicy(d), "sse4-2"));
    assertTrue(has(x.getDomainCpuPolicy(d), "sse4-1"));
    assertTrue(r.removed().stream().noneMatch(c -> c.name().equals("sse4-2")));
  }

  @Test
  void applyPolicy_xendForcesBitHostLacks_clampedAndReported() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int d = x.createDomain(DomainType.HVM, true, false);
    ClampReport r = x.cpuidApplyPolicy(d, false, Optional.empty(), true, false, false,
        List.of(new XendCpuid(7, 0, Optional.empty(), Optional.of(xs(bitOf("avx512f"), '1')),
            Optional.empty(), Optional.empty())), List.of());
    assertFalse(has(x.getDomainCpuPolicy(d), "avx512f"));
    ClampedFeature c = r.removed().stream().filter(f -> f.name().equals("avx512f")).findFirst()
        .orElseThrow();
    assertEquals(ClampedFeature.Reason.NOT_IN_HOST, c.reason());
  }

  @Test
  void applyPolicy_kTakesTheHostBit() throws Exception {
    XcInterface x = xc("Core-i7-3740QM");
    int d = x.createDomain(DomainType.PV, false, false);
    assertFalse(has(x.getCpuPolicy(PolicyIndex.PV_DEFAULT), "rdrand"));
    x.cpuidApplyPolicy(d, false, Optional.empty(), true, false, false,
        List.of(new XendCpuid(1, XendCpuid.NO_SUBLEAF, Optional.empty(), Optional.empty(),
            Optional.of(xs(bitOf("rdrand"), 'k')), Optional.empty())), List.of());
    assertTrue(has(x.getDomainCpuPolicy(d), "rdrand"));
  }

  @Test
  void applyPolicy_missingLeaf_einval() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int d = x.createDomain(DomainType.HVM, true, false);
    XcException e = assertThrows(XcException.class, () -> x.cpuidApplyPolicy(d, false,
        Optional.empty(), true, false, false, List.of(new XendCpuid(0x8000000a,
            XendCpuid.NO_SUBLEAF, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of(xs(0, '1')))), List.of()));
    assertEquals(Errno.EINVAL, e.errno());
    assertTrue(e.getMessage().startsWith("Missing leaf"), e.getMessage());
  }

  @Test
  void applyPolicy_badCharacter_einval() throws Exception {
    XcInterface x = xc("Core-i5-6600");
    int d = x.createDomain(DomainType.PV, false, false);
    XcException e = assertThrows(XcException.class, () -> x.cpuidApplyPolicy(d, false,
        Optional.empty(), true, false, false, List.of(new XendCpuid(1, XendCpuid.NO_SUBLEAF,
            Optional.empty(), Optional.empty(), Optional.of(xs(3, 'z')), Optional.empty())),
        List.of()));
    assertEquals(Errno.EINVAL, e.errno());
  }

  @Test
  void applyPolicy_msrOverride_andMissingMsr() throws Exception {
    XcInterface x = xc("Xeon-Platinum-8268");
    int d = x.createDomain(DomainType.HVM, true, false);
    char[] s = "x".repeat(64).toCharArray();
    s[63 - 0] = '0'; // rdcl-no, bit 0 of ARCH_CAPS
    x.cpuidApplyPolicy(d, false, Optional.empty(), true, false, false, List.of(),
        List.of(new XendMsr(0x10a, new String(s))));
    assertEquals(0, x.getDomainCpuPolicy(d).archCaps() & 1);
    assertFalse(x.getDomainCpuPolicy(d).archCaps() == 0);
    int d2 = x.createDomain(DomainType.HVM, true, false);
    XcException e = assertThrows(XcException.class, () -> x.cpuidApplyPolicy(d2, false,
        Optional.empty(), true, false, false, List.of(),
        List.of(new XendMsr(0x123, "x".repeat(64)))));
    assertEquals(Errno.ENOENT, e.errno());
  }

  @Test
  void applyPolicy_featuresetClearsDeepDependents() throws Exception {
    XcInterface x = xc("Xeon-Gold-6148");
    int d = x.createDomain(DomainType.HVM, true, false);
    Featureset fs = x.getCpuFeatureset(FeaturesetIndex.HVM).without(T.byName("avx").get().index());
    x.cpuidApplyPolicy(d, false, Optional.of(fs), true, false, false, List.of(), List.of());
    assertFalse(has(x.getDomainCpuPolicy(d), "avx2"));
    assertFalse(has(x.getDomainCpuPolicy(d), "avx512f"));
    XcException e = assertThrows(XcException.class, () -> x.cpuidApplyPolicy(d, false,
        Optional.of(fs.withWord(22, 1)), true, false, false, List.of(), List.of()));
    assertEquals(Errno.EOPNOTSUPP, e.errno());
  }

  @Test
  void applyPolicy_restoreTakesRdrandFromHost_andNestedVirt() throws Exception {
    XcInterface x = xc("Core-i7-3740QM");
    int d = x.createDomain(DomainType.HVM, true, true);
    x.cpuidApplyPolicy(d, true, Optional.empty(), true, false, true, List.of(), List.of());
    assertTrue(has(x.getDomainCpuPolicy(d), "rdrand"));
    assertTrue(has(x.getDomainCpuPolicy(d), "vmx"));
    int e = x.createDomain(DomainType.HVM, true, false);
    x.cpuidApplyPolicy(e, false, Optional.empty(), true, false, true, List.of(), List.of());
    assertFalse(has(x.getDomainCpuPolicy(e), "vmx"), "nested off for the domain: clamped");
  }

  @Test
  void policyBuffers_enobufsWhenTooSmall() throws Exception {
    XcInterface x = xc("Xeon-Gold-6148");
    PolicySize size = x.getCpuPolicySize();
    assertEquals(new PolicySize(120, 2), size);
    assertEquals(x.getCpuPolicy(1), x.getCpuPolicy(1, size.nrLeaves(), size.nrMsrs()));
    assertEquals(Errno.ENOBUFS, assertThrows(XcException.class, () -> x.getCpuPolicy(1, 5, 2))
        .errno());
    int d = x.createDomain(DomainType.PV, false, false);
    assertEquals(Errno.ENOBUFS, assertThrows(XcException.class,
        () -> x.getDomainCpuPolicy(d, 120, 1)).errno());
    assertEquals(Errno.ESRCH, assertThrows(XcException.class,
        () -> x.getDomainCpuPolicy(d + 1, 120, 2)).errno());
  }

  @Test
  void setCpuid_throughFacade() throws Exception {
    XcInterface x = xc("Xeon-Gold-6148");
    int d = x.createDomain(DomainType.PV, false, false);
    x.setCpuid(d, new CpuidLeaf(0, NO, 0xd, 1, 2, 3));
    assertEquals(new CpuidLeaf(0, 0, 0xd, 1, 2, 3), x.guestCpuid(d, 0, 0));
    assertEquals(Errno.EINVAL, assertThrows(XcException.class,
        () -> x.setCpuid(0, new CpuidLeaf(0, NO, 1, 0, 0, 0))).errno());
  }
}
