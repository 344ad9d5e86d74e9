package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.policy.Incompatibility.Kind;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompatibilityTest {
  private static final int NA = CpuidLeaf.NO_SUBLEAF;
  private static final FeatureTable T = FeatureTable.latest();

  private static CpuPolicy.Builder intel() {
    return CpuPolicy.builder().vendor(Vendor.INTEL).basicMaxLeaf(0xd).extdMaxLeaf(0x80000008);
  }

  private static CpuPolicy withFeatures(CpuPolicy.Builder b, String... names) {
    return b.build().withFeatureset(T.featuresetOf(List.of(names)));
  }

  private static final CpuPolicy HOST = intel().build();

  static Stream<Arguments> cases() {
    // As Xen's test-cpu-policy.c test_is_compatible_failure/success tables, plus the reasons
    // Xen does not report (every failure, features).
    return Stream.of(
        Arguments.of("identical policies", HOST, HOST, List.of(), Optional.empty(), List.of()),
        Arguments.of("guest with lower maxima",
            HOST, intel().basicMaxLeaf(7).extdMaxLeaf(0x80000001).build(),
            List.of(), Optional.empty(), List.of()),
        Arguments.of("basic max leaf too high",
            intel().basicMaxLeaf(0).build(), intel().basicMaxLeaf(1).build(),
            List.of(Kind.BASIC_MAX_LEAF), Optional.of(PolicyError.leaf(0, NA)), List.of()),
        Arguments.of("basic max leaf compared unsigned",
            HOST, intel().basicMaxLeaf(0x80000000).build(),
            List.of(Kind.BASIC_MAX_LEAF), Optional.of(PolicyError.leaf(0, NA)), List.of()),
        Arguments.of("feat max subleaf",
            HOST, intel().leaf7MaxSubleaf(1).build(),
            List.of(Kind.LEAF7_MAX_SUBLEAF), Optional.of(PolicyError.leaf(7, 0)), List.of()),
        Arguments.of("extd max leaf",
            HOST, intel().extdMaxLeaf(0x80000021).build(),
            List.of(Kind.EXTD_MAX_LEAF), Optional.of(PolicyError.leaf(0x80000000, NA)), List.of()),
        Arguments.of("platform info faulting",
            HOST, intel().cpuidFaulting(true).build(),
            List.of(Kind.PLATFORM_INFO), Optional.of(PolicyError.msr(0xce)), List.of()),
        Arguments.of("platform info: host faulting, guest not",
            intel().cpuidFaulting(true).build(), HOST, List.of(), Optional.empty(), List.of()),
        Arguments.of("platform info: any other bit",
            intel().cpuidFaulting(true).build(), intel().platformInfo(1).build(),
            List.of(Kind.PLATFORM_INFO), Optional.of(PolicyError.msr(0xce)), List.of()),
        Arguments.of("vendor Intel guest on AMD host",
            HOST.toBuilder().vendor(Vendor.AMD).build(), HOST,
            List.of(Kind.VENDOR), Optional.of(PolicyError.leaf(0, NA)), List.of()),
        Arguments.of("vendor: two different unknown signatures",
            HOST.toBuilder().leaf(0, NA, 0xd, 1, 2, 3).build(),
            HOST.toBuilder().leaf(0, NA, 0xd, 1, 2, 4).build(),
            List.of(Kind.VENDOR), Optional.of(PolicyError.leaf(0, NA)), List.of()),
        Arguments.of("vendor and basic max leaf share Xen's position",
            HOST.toBuilder().vendor(Vendor.HYGON).build(), intel().basicMaxLeaf(0x20).build(),
            List.of(Kind.VENDOR, Kind.BASIC_MAX_LEAF), Optional.of(PolicyError.leaf(0, NA)),
            List.of()),
        Arguments.of("leaf 7 and extd: Xen names leaf 7 first",
            HOST, intel().leaf7MaxSubleaf(2).extdMaxLeaf(0x80000021).build(),
            List.of(Kind.LEAF7_MAX_SUBLEAF, Kind.EXTD_MAX_LEAF),
            Optional.of(PolicyError.leaf(7, 0)), List.of()),
        Arguments.of("extd and platform info: Xen names extd",
            HOST, intel().extdMaxLeaf(0x80000021).cpuidFaulting(true).build(),
            List.of(Kind.EXTD_MAX_LEAF, Kind.PLATFORM_INFO),
            Optional.of(PolicyError.leaf(0x80000000, NA)), List.of()),
        Arguments.of("every check of Xen fails",
            CpuPolicy.builder().vendor(Vendor.AMD).build(),
            intel().leaf7MaxSubleaf(1).cpuidFaulting(true).build(),
            List.of(Kind.VENDOR, Kind.BASIC_MAX_LEAF, Kind.LEAF7_MAX_SUBLEAF, Kind.EXTD_MAX_LEAF,
                Kind.PLATFORM_INFO),
            Optional.of(PolicyError.leaf(0, NA)), List.of()),
        Arguments.of("missing features: not audited by Xen",
            withFeatures(intel(), "fpu", "sse", "avx2"),
            withFeatures(intel(), "fpu", "sse", "avx2", "x2apic", "avx512f", "rdcl-no"),
            List.of(Kind.FEATURE, Kind.FEATURE, Kind.FEATURE), Optional.empty(),
            List.of("x2apic", "avx512f", "rdcl-no")),
        Arguments.of("host superset of guest features",
            withFeatures(intel(), "fpu", "sse", "avx2", "x2apic"), withFeatures(intel(), "sse"),
            List.of(), Optional.empty(), List.of()),
        Arguments.of("unknown bits named by number",
            HOST, intel().reg(1, NA, Register.EDX, 1 << 10).reg(1, NA, Register.ECX, 1 << 10).build(),
            List.of(Kind.FEATURE, Kind.FEATURE), Optional.empty(), List.of("[10]", "[42]")),
        Arguments.of("Xen checks and features together",
            withFeatures(intel(), "sse"),
            withFeatures(intel().extdMaxLeaf(0x80000021), "sse", "avx"),
            List.of(Kind.EXTD_MAX_LEAF, Kind.FEATURE),
            Optional.of(PolicyError.leaf(0x80000000, NA)), List.of("avx")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void check_reportsEveryReasonAndXensFirst(String name, CpuPolicy host, CpuPolicy guest,
      List<Kind> kinds, Optional<PolicyError> xenError, List<String> missing) {
    CompatibilityReport r = Compatibility.check(host, guest, T);
    assertEquals(kinds, r.reasons().stream().map(Incompatibility::kind).collect(Collectors.toList()));
    assertEquals(xenError, r.xenError());
    assertEquals(missing, r.missingFeatures());
    assertEquals(kinds.isEmpty(), r.compatible());
    assertEquals(kinds.isEmpty() ? "compatible" : r.reasons().get(0).message(),
        r.toString().split("; ")[0]);
  }

  @Test
  void messages_nameTheValues() {
    CompatibilityReport r = Compatibility.check(
        CpuPolicy.builder().vendor(Vendor.AMD).basicMaxLeaf(0xd).extdMaxLeaf(0x80000021).build(),
        withFeatures(intel().basicMaxLeaf(0x16).leaf7MaxSubleaf(1).extdMaxLeaf(0x80000028)
            .cpuidFaulting(true), "avx512f", "rdcl-no"),
        T);
    assertEquals(List.of(
        "guest vendor Intel (GenuineIntel) differs from the host's AMD (AuthenticAMD)",
        "guest basic max leaf 0x16 is above the host's 0xd",
        "guest leaf 7 max subleaf 0x1 is above the host's 0x0",
        "guest extended max leaf 0x80000028 is above the host's 0x80000021",
        "guest MSR_PLATFORM_INFO bits 0x80000000 (cpuid_faulting) are not set in the host's"
            + " (0x00000000)",
        "guest feature avx512f (CPUID 0x00000007:0.ebx bit 16) is not in the host's featureset",
        "guest feature rdcl-no (MSR_ARCH_CAPS.lo bit 0) is not in the host's featureset"),
        r.reasons().stream().map(Incompatibility::message).collect(Collectors.toList()));
    assertEquals(PolicyError.leaf(7, 0), r.reasons().get(5).position());
    assertEquals(PolicyError.msr(0x10a), r.reasons().get(6).position());
  }

  @Test
  void messages_unknownVendorAndBit() {
    CompatibilityReport r = Compatibility.check(HOST,
        HOST.toBuilder().leaf(0, NA, 0xd, 1, 2, 3).reg(1, NA, Register.ECX, 1 << 10).build(), T);
    assertEquals("guest vendor Unknown (ebx 0x00000001 ecx 0x00000002 edx 0x00000003) differs"
        + " from the host's Intel (GenuineIntel)", r.reasons().get(0).message());
    assertEquals("guest feature bit [42] (CPUID 0x00000001.ecx bit 10) is not in the host's"
        + " featureset", r.reasons().get(1).message());
    assertEquals(PolicyError.leaf(1, NA), r.reasons().get(1).position());
  }

  @Test
  void realDumps_crossVendorIsRefused_selfIsCompatible() {
    CpuPolicy intel = TestDumps.load("Xeon-Gold-6148");
    CpuPolicy amd = TestDumps.load("EPYC-9334-32-Core");
    assertTrue(Compatibility.check(intel, intel, T).compatible());
    CompatibilityReport r = Compatibility.check(intel, amd, T);
    assertFalse(r.compatible());
    assertEquals(Kind.VENDOR, r.reasons().get(0).kind());
    assertEquals(Optional.of(PolicyError.leaf(0, NA)), r.xenError());
    assertTrue(r.missingFeatures().contains("avx512-bf16"), r.missingFeatures().toString());
  }

  // --- properties ------------------------------------------------------------------------------------

  @Provide
  Arbitrary<CpuPolicy> policies() {
    return Arbitraries.randomValue(CpuPolicyPropertiesTest::randomPolicy);
  }

  @Property
  void everyPolicy_isCompatibleWithItself(@ForAll("policies") CpuPolicy p) {
    assertTrue(Compatibility.check(p, p, T).compatible());
  }

  @Property
  void xenError_isThePositionOfTheFirstNonFeatureReason(
      @ForAll("policies") CpuPolicy host, @ForAll("policies") CpuPolicy guest) {
    CompatibilityReport r = Compatibility.check(host, guest, T);
    assertEquals(
        r.reasons().stream().filter(i -> i.kind() != Kind.FEATURE).findFirst()
            .map(Incompatibility::position),
        r.xenError());
    assertEquals(r.missingFeatures().size(),
        r.reasons().stream().filter(i -> i.kind() == Kind.FEATURE).count());
  }

  @Property
  void guestLevelledToHost_isCompatible(@ForAll("policies") CpuPolicy host, @ForAll long seed) {
    // A guest made from the host by lowering maxima and clearing features and PLATFORM_INFO bits.
    Random r = new Random(seed);
    CpuPolicy guest = host.toBuilder()
        .basicMaxLeaf(Math.min(host.basicMaxLeaf() >>> 1, r.nextInt(16)))
        .leaf7MaxSubleaf(0)
        .extdMaxLeaf(0)
        .platformInfo(host.platformInfo() & r.nextInt())
        .build();
    Featureset fs = host.featureset();
    for (int w = 0; w < fs.length(); w++) {
      fs = fs.withWord(w, fs.word(w) & r.nextInt());
    }
    assertTrue(Compatibility.check(host, guest.withFeatureset(fs), T).compatible());
  }
}
