package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CpuPolicyTest {
  private static final int NA = CpuidLeaf.NO_SUBLEAF;

  // --- vendor ----------------------------------------------------------------------------------

  static Stream<Arguments> vendors() {
    // Register values as CPUID returns them (xen/arch/x86/include/asm/x86-vendors.h, x86-vendors.h).
    return Stream.of(
        Arguments.of("Intel", Vendor.INTEL, 0x756e6547, 0x6c65746e, 0x49656e69),
        Arguments.of("AMD", Vendor.AMD, 0x68747541, 0x444d4163, 0x69746e65),
        Arguments.of("Hygon", Vendor.HYGON, 0x6f677948, 0x656e6975, 0x6e65476e),
        Arguments.of("Centaur", Vendor.CENTAUR, 0x746e6543, 0x736c7561, 0x48727561),
        Arguments.of("Shanghai", Vendor.SHANGHAI, 0x68532020, 0x20206961, 0x68676e61));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vendors")
  void vendor_registersMatchSignature(String name, Vendor v, int ebx, int ecx, int edx) {
    assertEquals(ebx, v.ebx());
    assertEquals(ecx, v.ecx());
    assertEquals(edx, v.edx());
    assertEquals(name, v.displayName());
    assertEquals(v, Vendor.lookup(ebx, ecx, edx));
    assertEquals(v, CpuPolicy.builder().leaf(0, NA, 0xd, ebx, ecx, edx).build().vendor());
  }

  @Test
  void vendor_partialMatch_isUnknown() {
    // Xen's x86_cpuid_lookup_vendor needs all three registers.
    assertEquals(Vendor.UNKNOWN, Vendor.lookup(Vendor.INTEL.ebx(), Vendor.INTEL.ecx(), 0));
    assertEquals(Vendor.UNKNOWN, Vendor.lookup(Vendor.INTEL.ebx(), Vendor.AMD.ecx(), Vendor.AMD.edx()));
    assertEquals(Vendor.UNKNOWN, CpuPolicy.empty().vendor());
    assertEquals(Vendor.UNKNOWN, Vendor.lookup(0, 0, 0));
  }

  // --- family / model / stepping -----------------------------------------------------------------

  static Stream<Arguments> fms() {
    return Stream.of(
        Arguments.of("Intel Skylake-SP (Xeon Gold 6148)", 0x00050654, 6, 0x55, 4),
        Arguments.of("Intel, type bits 13:12 ignored", 0x00053654, 6, 0x55, 4),
        Arguments.of("Intel Sapphire Rapids", 0x000806f8, 6, 0x8f, 8),
        Arguments.of("AMD Zen 2 (EPYC 7502): family 0xf + 0x8", 0x00830f10, 0x17, 0x31, 0),
        Arguments.of("AMD Zen 3 (EPYC 7713): family 0xf + 0xa", 0x00a00f11, 0x19, 0x01, 1),
        Arguments.of("AMD Zen 4 (EPYC 9334): family 0x19 model 0x11", 0x00a10f11, 0x19, 0x11, 1),
        Arguments.of("Hygon Dhyana: family 0xf + 0x9", 0x00900f01, 0x18, 0x00, 1),
        Arguments.of("Pentium 4: family 0xf, extended model counts", 0x00010f29, 0xf, 0x12, 9),
        Arguments.of("family 5: extended model ignored", 0x00010543, 5, 4, 3),
        Arguments.of("family 6: extended family ignored", 0x0ff00654, 6, 0x05, 4),
        Arguments.of("all ones", 0xffffffff, 0xf + 0xff, 0xff, 0xf));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fms")
  void familyModelStepping_decodeAsXen(String name, int eax, int family, int model, int stepping) {
    CpuPolicy p = CpuPolicy.builder().reg(1, NA, Register.EAX, eax).build();
    assertEquals(family, p.family(), "family");
    assertEquals(model, p.model(), "model");
    assertEquals(stepping, p.stepping(), "stepping");
    assertEquals(eax, p.rawFms());
  }

  // --- real dumps --------------------------------------------------------------------------------

  static Stream<Arguments> dumps() {
    // name, vendor, fms, max leaf, extd max, maxphysaddr, maxlinaddr, xcr0, xss, xstate size
    // (read by hand from the dump files)
    return Stream.of(
        Arguments.of("Xeon-Gold-6148", Vendor.INTEL, List.of(6, 0x55, 4), 0x16, 0x80000008, 46, 48,
            0x2ffL, 0x100L, 0xa88),
        Arguments.of("EPYC-9334-32-Core", Vendor.AMD, List.of(0x19, 0x11, 1), 0x10, 0x80000028, 52,
            57, 0x2e7L, 0x1800L, 0x988),
        Arguments.of("Hygon-C86-7185-32-core", Vendor.HYGON, List.of(0x18, 0, 1), 0xd, 0x8000001f,
            48, 48, 0x7L, 0L, 0x340));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dumps")
  void accessors_realDumps(String name, Vendor vendor, List<Integer> fms, int maxLeaf, int extdMax,
      int phys, int lin, long xcr0, long xss, int xsize) {
    CpuPolicy p = TestDumps.load(name);
    assertEquals(vendor, p.vendor());
    assertEquals(fms, List.of(p.family(), p.model(), p.stepping()));
    assertEquals(maxLeaf, p.basicMaxLeaf());
    assertEquals(extdMax, p.extdMaxLeaf());
    assertEquals(phys, p.maxPhysAddr());
    assertEquals(lin, p.maxLinAddr());
    assertEquals(xcr0, p.xcr0Mask());
    assertEquals(xss, p.xssMask());
    assertEquals(xcr0 | xss, p.xstates());
    assertEquals(xsize, p.xstateSize());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dumps")
  void roundTrip_realDumps(String name) throws Exception {
    CpuPolicy p = TestDumps.load(name);
    // fill_native leaves nothing out of range, so a real policy survives exactly.
    assertEquals(p, CpuPolicy.fromLeaves(p.toLeaves(), p.toMsrs()));
    assertEquals(p, p.clearOutOfRangeLeaves());
    assertTrue(p.toLeaves().size() <= CpuPolicy.MAX_SERIALISED_LEAVES);
  }

  @Test
  void serialise_xeonGold6148_orderAndCount() {
    // Max leaf 0x16 -> basic 0..0xd. Leaf 4: subleaves 0-3 have a cache type, 4 is type 0 and
    // is included. Leaf 7: max_subleaf 0. Leaf 0xb: subleaves 0 and 1 (NR_TOPO). Leaf 0xd:
    // xcr0 0x2ff | xss 0x100 = 0x3ff, so subleaves 0..9. Then the two hypervisor leaves and
    // 0x80000000..0x80000008. 10 + 5 + 1 + 2 + 10 + 2 + 9 = 39.
    CpuPolicy p = TestDumps.load("Xeon-Gold-6148");
    List<String> expected = new ArrayList<>();
    for (String s : new String[] {"0", "1", "2", "3", "4:0", "4:1", "4:2", "4:3", "4:4", "5", "6",
        "7:0", "8", "9", "a", "b:0", "b:1", "c", "d:0", "d:1", "d:2", "d:3", "d:4", "d:5", "d:6",
        "d:7", "d:8", "d:9", "40000000", "40000100", "80000000", "80000001", "80000002",
        "80000003", "80000004", "80000005", "80000006", "80000007", "80000008"}) {
      expected.add(s);
    }
    assertEquals(expected, positions(p.toLeaves()));
    assertEquals(39, p.toLeaves().size());
    assertEquals(0x7c0fc163, p.toLeaves().get(7).a(), "leaf 4:3 carries the dump's eax");
  }

  private static List<String> positions(List<CpuidLeaf> leaves) {
    return leaves.stream()
        .map(l -> Integer.toHexString(l.leaf())
            + (l.subleaf() == NA ? "" : ":" + Integer.toHexString(l.subleaf())))
        .collect(Collectors.toList());
  }

  // --- serialisation shapes ----------------------------------------------------------------------

  /** The policy with every array full: 120 leaves, CPUID_MAX_SERIALISED_LEAVES. */
  static CpuPolicy fullest() {
    CpuPolicy.Builder b = CpuPolicy.builder().basicMaxLeaf(0xd).leaf7MaxSubleaf(2)
        .extdMaxLeaf(0x80000021);
    for (int s = 0; s < CpuPolicy.NR_CACHE; s++) {
      b.reg(4, s, Register.EAX, 0x21);
    }
    for (int s = 0; s < CpuPolicy.NR_TOPO; s++) {
      b.reg(0xb, s, Register.ECX, 0x100 * (s + 1));
    }
    b.reg(0xd, 0, Register.EDX, 0x40000000); // xcr0 bit 62
    return b.build();
  }

  @Test
  void serialise_fullest_is120() {
    assertEquals(120, CpuPolicy.MAX_SERIALISED_LEAVES);
    assertEquals(120, fullest().toLeaves().size());
    assertEquals(2, fullest().toMsrs().size());
  }

  static Stream<Arguments> shapes() {
    CpuPolicy base = fullest();
    return Stream.of(
        Arguments.of("fullest", base, 120, "80000021"),
        Arguments.of("max leaf 3: no leaf 4, 7, 0xb, 0xd",
            base.toBuilder().basicMaxLeaf(3).build(), 4 + 2 + 34, "80000021"),
        Arguments.of("max leaf 0xffffffff clipped to 0xd",
            base.toBuilder().basicMaxLeaf(-1).build(), 120, "80000021"),
        Arguments.of("leaf 7 max_subleaf 0xffffffff clipped to 2",
            base.toBuilder().leaf7MaxSubleaf(-1).build(), 120, "80000021"),
        Arguments.of("leaf 7 max_subleaf 0",
            base.toBuilder().leaf7MaxSubleaf(0).build(), 118, "80000021"),
        Arguments.of("leaf 4 subleaf 0 type 0: only subleaf 0",
            base.toBuilder().reg(4, 0, Register.EAX, 0x7c000000).build(), 115, "80000021"),
        Arguments.of("leaf 0xb subleaf 0 type 0: only subleaf 0",
            base.toBuilder().reg(0xb, 0, Register.ECX, 0xff).build(), 119, "80000021"),
        Arguments.of("no xstates: leaf 0xd subleaves 0 and 1 only",
            base.toBuilder().reg(0xd, 0, Register.EDX, 0).build(), 120 - 61, "80000021"),
        Arguments.of("xcr0 bit 63: subleaves stop at 62",
            base.toBuilder().reg(0xd, 0, Register.EDX, 0x80000000).build(), 120, "80000021"),
        Arguments.of("xss bit 8 only: subleaves 0..8",
            base.toBuilder().reg(0xd, 0, Register.EDX, 0).reg(0xd, 1, Register.ECX, 0x100).build(),
            120 - 54, "80000021"),
        Arguments.of("extd max 0x80000008 (Intel)",
            base.toBuilder().extdMaxLeaf(0x80000008).build(), 120 - 25, "80000008"),
        Arguments.of("extd max 0x8000ffff clipped",
            base.toBuilder().extdMaxLeaf(0x8000ffff).build(), 120, "80000021"),
        Arguments.of("extd max 0: leaf 0x80000000 alone",
            base.toBuilder().extdMaxLeaf(0).build(), 120 - 33, "80000000"),
        Arguments.of("empty policy", CpuPolicy.empty(), 1 + 2 + 1, "80000000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void serialise_shapes(String name, CpuPolicy p, int count, String lastLeaf) throws Exception {
    ImmutableList<CpuidLeaf> leaves = p.toLeaves();
    assertEquals(count, leaves.size());
    assertEquals(lastLeaf, Integer.toHexString(leaves.get(leaves.size() - 1).leaf()));
    assertInXenOrder(leaves);
    CpuPolicy q = CpuPolicy.fromLeaves(leaves, p.toMsrs());
    assertEquals(leaves, q.toLeaves());
  }

  /** Checks the section order of x86_cpuid_copy_to_buffer, and that subleaves ascend. */
  static void assertInXenOrder(List<CpuidLeaf> leaves) {
    Long prev = null;
    for (CpuidLeaf l : leaves) {
      assertTrue(CpuPolicy.exists(l.leaf(), l.subleaf()), l.toString());
      long key = Integer.toUnsignedLong(l.leaf()) << 32
          | (l.subleaf() == NA ? 0 : Integer.toUnsignedLong(l.subleaf()));
      assertTrue(prev == null || Long.compareUnsigned(key, prev) > 0, "out of order at " + l);
      prev = key;
    }
    assertEquals(1, leaves.stream().filter(l -> l.leaf() == CpuPolicy.HV_LEAF).count());
    assertEquals(1, leaves.stream().filter(l -> l.leaf() == CpuPolicy.HV2_LEAF).count());
  }

  @Test
  void toMsrs_alwaysPlatformInfoThenArchCaps() {
    CpuPolicy p = CpuPolicy.builder().cpuidFaulting(true).archCaps(0x8000000000000001L).build();
    assertEquals(List.of(new MsrEntry(0xce, 0, 0x80000000L), new MsrEntry(0x10a, 0, 0x8000000000000001L)),
        p.toMsrs());
    assertEquals(List.of(new MsrEntry(0xce, 0, 0), new MsrEntry(0x10a, 0, 0)),
        CpuPolicy.empty().toMsrs());
  }

  // --- deserialisation errors ----------------------------------------------------------------------

  private static CpuidLeaf l(int leaf, int subleaf) {
    return new CpuidLeaf(leaf, subleaf, 1, 2, 3, 4);
  }

  private static final CpuidLeaf OK = l(0, NA);

  static Stream<Arguments> badLeaves() {
    return Stream.of(
        Arguments.of("basic leaf 0xe", List.of(l(0xe, NA)), 0xe, NA),
        Arguments.of("leaf 1 with subleaf 0", List.of(l(1, 0)), 1, 0),
        Arguments.of("leaf 4 without subleaf", List.of(l(4, NA)), 4, NA),
        Arguments.of("leaf 4 subleaf 6", List.of(l(4, 6)), 4, 6),
        Arguments.of("leaf 7 subleaf 3", List.of(l(7, 3)), 7, 3),
        Arguments.of("leaf 7 without subleaf", List.of(l(7, NA)), 7, NA),
        Arguments.of("leaf 0xb subleaf 2", List.of(l(0xb, 2)), 0xb, 2),
        Arguments.of("leaf 0xd subleaf 63", List.of(l(0xd, 63)), 0xd, 63),
        Arguments.of("leaf 0x14 (PT)", List.of(l(0x14, 0)), 0x14, 0),
        Arguments.of("leaf 0x20000000 (Xeon Phi)", List.of(l(0x20000000, NA)), 0x20000000, NA),
        Arguments.of("hypervisor leaf 0x40000001", List.of(l(0x40000001, NA)), 0x40000001, NA),
        Arguments.of("hypervisor leaf with subleaf 0", List.of(l(0x40000000, 0)), 0x40000000, 0),
        Arguments.of("extended leaf 0x80000022", List.of(l(0x80000022, NA)), 0x80000022, NA),
        Arguments.of("extended leaf with subleaf", List.of(l(0x8000001d, 0)), 0x8000001d, 0),
        Arguments.of("leaf 0xffffffff", List.of(l(-1, NA)), -1, NA),
        Arguments.of("the first bad leaf is reported",
            List.of(OK, l(0x80000001, NA), l(0xe, NA), l(0xf, NA)), 0xe, NA));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLeaves")
  void fromLeaves_outOfRange_isErangeWithPosition(String name, List<CpuidLeaf> leaves, int leaf,
      int subleaf) {
    PolicyException e = assertThrows(PolicyException.class,
        () -> CpuPolicy.fromLeaves(leaves, List.of(new MsrEntry(0x123, 1, 0))));
    assertEquals(Errno.ERANGE, e.errno());
    assertEquals(PolicyError.leaf(leaf, subleaf), e.position());
    assertTrue(e.getMessage().contains(String.format("leaf 0x%08x subleaf 0x%08x", leaf, subleaf)),
        e.getMessage());
  }

  static Stream<Arguments> rangeMessages() {
    return Stream.of(
        Arguments.of("basic leaf past 0xd", l(0xe, NA), "leaf 0x0000000e subleaf 0xffffffff is out"
            + " of range: Xen keeps basic leaves 0x0 to 0xd, 0x40000000, 0x40000100 and extended"
            + " leaves 0x80000000 to 0x80000021"),
        Arguments.of("subleaf on a leaf without", l(0x80000008, 0), "leaf 0x80000008 subleaf"
            + " 0x00000000 is out of range: leaf 0x80000008 has no subleaves (subleaf must be"
            + " 0xffffffff)"),
        Arguments.of("leaf 4 subleaf 6", l(4, 6), "leaf 0x00000004 subleaf 0x00000006 is out of"
            + " range: Xen keeps subleaves 0x0 to 0x5 of leaf 0x4"),
        Arguments.of("leaf 0xd subleaf 63", l(0xd, 63), "leaf 0x0000000d subleaf 0x0000003f is out"
            + " of range: Xen keeps subleaves 0x0 to 0x3e of leaf 0xd"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rangeMessages")
  void fromLeaves_outOfRange_message(String name, CpuidLeaf leaf, String message) {
    PolicyException e = assertThrows(PolicyException.class,
        () -> CpuPolicy.fromLeaves(List.of(leaf), List.of()));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> badMsrs() {
    return Stream.of(
        Arguments.of("three MSRs", List.of(new MsrEntry(0xce, 0, 0), new MsrEntry(0x10a, 0, 0),
            new MsrEntry(0xce, 0, 0)), Errno.E2BIG, PolicyError.UNKNOWN,
            "3 MSRs is more than Xen accepts (2, MSR_MAX_SERIALISED_ENTRIES)"),
        Arguments.of("flags on PLATFORM_INFO", List.of(new MsrEntry(0xce, 1, 0)), Errno.EINVAL,
            PolicyError.msr(0xce), "MSR 0x000000ce has flags 0x00000001; flags must be zero"),
        Arguments.of("flags checked before the index", List.of(new MsrEntry(0x123, 0x80, 0)),
            Errno.EINVAL, PolicyError.msr(0x123),
            "MSR 0x00000123 has flags 0x00000080; flags must be zero"),
        Arguments.of("unknown MSR 0xcf", List.of(new MsrEntry(0xcf, 0, 0)), Errno.ERANGE,
            PolicyError.msr(0xcf),
            "MSR 0x000000cf is not in a CPU policy (only 0xce PLATFORM_INFO and 0x10a ARCH_CAPS)"),
        Arguments.of("second MSR bad", List.of(new MsrEntry(0x10a, 0, -1), new MsrEntry(0x10b, 0, 0)),
            Errno.ERANGE, PolicyError.msr(0x10b),
            "MSR 0x0000010b is not in a CPU policy (only 0xce PLATFORM_INFO and 0x10a ARCH_CAPS)"),
        Arguments.of("PLATFORM_INFO wider than 32 bits", List.of(new MsrEntry(0xce, 0, 1L << 32)),
            Errno.EOVERFLOW, PolicyError.msr(0xce),
            "MSR 0x000000ce (PLATFORM_INFO) value 0x100000000 does not fit Xen's 32 bits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badMsrs")
  void fromLeaves_badMsr(String name, List<MsrEntry> msrs, Errno errno, PolicyError at,
      String message) {
    PolicyException e = assertThrows(PolicyException.class,
        () -> CpuPolicy.fromLeaves(List.of(OK), msrs));
    assertEquals(errno, e.errno());
    assertEquals(at, e.position());
    assertEquals(message, e.getMessage());
  }

  @Test
  void fromLeaves_121Leaves_isE2bigBeforeAnyLeaf() {
    List<CpuidLeaf> leaves = new ArrayList<>(Collections.nCopies(120, OK));
    leaves.set(0, l(0xe, NA)); // out of range, but the count is checked first
    leaves.add(OK);
    PolicyException e = assertThrows(PolicyException.class,
        () -> CpuPolicy.fromLeaves(leaves, List.of()));
    assertEquals(Errno.E2BIG, e.errno());
    assertEquals(PolicyError.UNKNOWN, e.position());
    assertEquals("121 CPUID leaves is more than Xen accepts (120, CPUID_MAX_SERIALISED_LEAVES)",
        e.getMessage());
  }

  @Test
  void fromLeaves_120DuplicateLeaves_accepted_lastWins() throws Exception {
    List<CpuidLeaf> leaves = new ArrayList<>(Collections.nCopies(119, OK));
    leaves.add(new CpuidLeaf(0, NA, 0xd, 9, 9, 9));
    CpuPolicy p = CpuPolicy.fromLeaves(leaves, List.of());
    assertEquals(Optional.of(new CpuidLeaf(0, NA, 0xd, 9, 9, 9)), p.leaf(0, NA));
  }

  @Test
  void fromLeaves_leavesCheckedBeforeMsrs() {
    // Xen runs x86_cpuid_copy_from_buffer before x86_msr_copy_from_buffer.
    List<MsrEntry> tooMany = Collections.nCopies(3, new MsrEntry(0xce, 0, 0));
    PolicyException e = assertThrows(PolicyException.class,
        () -> CpuPolicy.fromLeaves(List.of(l(0xe, NA)), tooMany));
    assertEquals(Errno.ERANGE, e.errno());
    assertEquals(PolicyError.leaf(0xe, NA), e.position());
  }

  @Test
  void fromLeaves_acceptedMsrValues() throws Exception {
    CpuPolicy p = CpuPolicy.fromLeaves(List.of(),
        List.of(new MsrEntry(0xce, 0, 0xffffffffL), new MsrEntry(0x10a, 0, -1L)));
    assertEquals(0xffffffff, p.platformInfo());
    assertTrue(p.cpuidFaulting());
    assertEquals(-1L, p.archCaps());
  }

  @Test
  void fromLeaves_hypervisorLeaf_keepsLowByteOfEaxOnly() throws Exception {
    // hv_limit and hv2_limit are uint8_t in struct cpu_policy: Xen truncates silently.
    CpuPolicy p = CpuPolicy.fromLeaves(
        List.of(new CpuidLeaf(0x40000000, NA, 0x40000105, 7, 7, 7),
            new CpuidLeaf(0x40000100, NA, 0x1ff, 0, 0, 0)),
        List.of());
    assertEquals(0x05, p.hvLimit());
    assertEquals(0xff, p.hv2Limit());
    assertEquals(Optional.of(new CpuidLeaf(0x40000000, NA, 5, 0, 0, 0)), p.leaf(0x40000000, NA));
  }

  @Test
  void mergeLeaves_keepsLeavesNotSupplied() throws Exception {
    CpuPolicy p = TestDumps.load("Xeon-Gold-6148");
    CpuPolicy q = p.mergeLeaves(List.of(new CpuidLeaf(7, 0, 0, 0, 0, 0)),
        List.of(new MsrEntry(0xce, 0, 0x80000000L)));
    assertEquals(0, q.reg(7, 0, Register.EBX));
    assertEquals(p.leaf(1, NA), q.leaf(1, NA));
    assertEquals(p.archCaps(), q.archCaps());
    assertTrue(q.cpuidFaulting());
    assertEquals(p, q.mergeLeaves(List.of(p.leaf(7, 0).orElseThrow()), List.of(p.toMsrs().get(0))));
  }

  // --- builder -------------------------------------------------------------------------------------

  @Test
  void builder_refusesWhatXenHasNoRoomFor() {
    CpuPolicy.Builder b = CpuPolicy.builder();
    assertThrows(IllegalArgumentException.class, () -> b.leaf(l(0xe, NA)));
    assertThrows(IllegalArgumentException.class, () -> b.reg(4, NA, Register.EAX, 1));
    assertThrows(IllegalArgumentException.class, () -> b.reg(0x40000000, NA, Register.EBX, 1));
    assertThrows(IllegalArgumentException.class, () -> b.leaf(new CpuidLeaf(0x40000000, NA, 256, 0, 0, 0)));
    assertThrows(IllegalArgumentException.class, () -> b.hvLimit(256));
    assertThrows(IllegalArgumentException.class, () -> b.msr(new MsrEntry(0xce, 1, 0)));
    assertThrows(IllegalArgumentException.class, () -> b.msr(new MsrEntry(0xce, 0, 1L << 32)));
    assertThrows(IllegalArgumentException.class, () -> b.msr(new MsrEntry(0x48, 0, 0)));
  }

  @Test
  void builder_leafAndAccessorsAgree() {
    CpuPolicy p = CpuPolicy.builder()
        .vendor(Vendor.AMD).basicMaxLeaf(0x10).leaf7MaxSubleaf(1).extdMaxLeaf(0x80000021)
        .leaf(0x80000008, NA, 0x3030, 0, 0, 0)
        .leaf(0xd, 1, 0xf, 0x3c0, 0x1800, 0)
        .hvLimit(3).hv2Limit(5).msr(new MsrEntry(0xce, 0, 0x80000000L)).archCaps(0x1234)
        .build();
    assertEquals(Vendor.AMD, p.vendor());
    assertEquals(0x10, p.basicMaxLeaf());
    assertEquals(1, p.leaf7MaxSubleaf());
    assertEquals(0x80000021, p.extdMaxLeaf());
    assertEquals(48, p.maxPhysAddr());
    assertEquals(48, p.maxLinAddr());
    assertEquals(0x3c0, p.xstateSizeCompacted());
    assertEquals(0x1800L, p.xssMask());
    assertEquals(3, p.hvLimit());
    assertEquals(5, p.reg(0x40000100, NA, Register.EAX));
    assertTrue(p.cpuidFaulting());
    assertEquals(0x1234L, p.archCaps());
    assertEquals(0, p.reg(0xe, NA, Register.EAX));
    assertEquals(Optional.empty(), p.leaf(0xe, NA));
    assertEquals(p, p.toBuilder().build());
    assertEquals(p.hashCode(), p.toBuilder().build().hashCode());
    assertFalse(p.equals(p.toBuilder().cpuidFaulting(false).build()));
    assertEquals("CpuPolicy{AMD 0/0x0/0, max leaf 0x10, leaf 7 max subleaf 1,"
        + " extd max leaf 0x80000021}", p.toString());
  }

  @Test
  void toString_realDump() {
    assertEquals("CpuPolicy{Intel 6/0x55/4, max leaf 0x16, leaf 7 max subleaf 0,"
        + " extd max leaf 0x80000008}", TestDumps.load("Xeon-Gold-6148").toString());
  }

  // --- clear out of range --------------------------------------------------------------------------

  @Test
  void clearOutOfRangeLeaves_zeroesAboveTheMaxima() {
    CpuPolicy p = fullest().toBuilder()
        .basicMaxLeaf(7).leaf7MaxSubleaf(1).extdMaxLeaf(0x80000008)
        .leaf(2, NA, 1, 1, 1, 1).leaf(9, NA, 1, 1, 1, 1)
        .reg(4, 2, Register.EAX, 0).reg(4, 3, Register.EBX, 5)
        .leaf(7, 2, 1, 1, 1, 1).leaf(0x80000009, NA, 1, 1, 1, 1)
        .build();
    CpuPolicy c = p.clearOutOfRangeLeaves();
    assertEquals(1, c.reg(2, NA, Register.EAX));
    assertEquals(0, c.reg(9, NA, Register.EAX));
    assertEquals(0x21, c.reg(4, 1, Register.EAX));
    assertEquals(0, c.reg(4, 3, Register.EBX), "from the first type-0 subleaf on");
    assertEquals(0, c.reg(7, 2, Register.EAX));
    assertEquals(0, c.reg(0xb, 0, Register.ECX), "max leaf 7 < 0xb");
    assertEquals(0, c.xstates(), "max leaf 7 < 0xd");
    assertEquals(0, c.reg(0x80000009, NA, Register.EAX));
    assertEquals(p.toLeaves(), c.toLeaves(), "nothing serialised is cleared");
  }
}
