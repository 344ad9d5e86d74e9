package dev.xenlevelling.xl.level;

import static dev.xenlevelling.xl.level.PoolLevellerTest.BASE;
import static dev.xenlevelling.xl.level.PoolLevellerTest.fs;
import static dev.xenlevelling.xl.level.PoolLevellerTest.host;
import static dev.xenlevelling.xl.level.PoolLevellerTest.without;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HostFitTest {
  static final FeatureTable T = FeatureTable.latest();

  static Stream<Arguments> cases() {
    HostCpu weak = host("weak", fs(without(BASE, "avx2", "bmi2")));
    HostCpu pvOnly = HostCpu.builder("pvonly", Vendor.INTEL, "f")
        .guest(DomainType.PV, fs(BASE), fs(BASE), CpuLimits.UNKNOWN).build();
    return Stream.of(
        Arguments.of("fits", fs(List.of("fpu", "lm")), weak, DomainType.HVM, true, true, List.of()),
        Arguments.of("names every missing feature", fs(BASE), weak, DomainType.HVM, false, true,
            List.of("avx2", "bmi2")),
        Arguments.of("unknown bits are named by number", fs(List.of("fpu")).with(19 * 32 + 1), weak,
            DomainType.PV, false, true, List.of("bit 609 (word 19 bit 1)")),
        Arguments.of("a 9-word domain on a 19-word host", fs(List.of("fpu", "lm")).withLength(9), weak,
            DomainType.PV, true, true, List.of()),
        Arguments.of("the host's x87 bits are the host's (Xen takes them from the host)",
            fs(List.of("fpu", "lm", "fdp-excp-only", "no-fpu-sel")), weak, DomainType.HVM, true,
            true, List.of()),
        Arguments.of("type not supported", Featureset.empty(), pvOnly, DomainType.HVM, false, false,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void check_namesMissing(String name, Featureset domain, HostCpu host, DomainType type,
      boolean compatible, boolean supported, List<String> missing) {
    HostFitResult r = HostFit.check(T, domain, host, type);
    assertEquals(compatible, r.compatible());
    assertEquals(supported, r.typeSupported());
    assertEquals(missing, r.missing());
    assertEquals(host.name(), r.host());
  }

  static Stream<Arguments> limitCases() {
    CpuLimits host = CpuLimits.of(0xd, 0, 0x80000008L, 39, 832);
    return Stream.of(
        Arguments.of("same limits", host, true, List.of(), List.of()),
        Arguments.of("every checked limit above the host's",
            CpuLimits.of(0x14, 2, 0x80000021L, 39, 832), false,
            List.of("max_leaf 0x14 (host 0xd)", "leaf7_max_subleaf 2 (host 0)",
                "extd_max_leaf 0x80000021 (host 0x80000008)"), List.of()),
        Arguments.of("maxphysaddr above: a note, still compatible",
            CpuLimits.of(0xd, 0, 0x80000008L, 46, 832), true, List.of(),
            List.of("maxphysaddr 46 (host 39): not checked by Xen, should be levelled")),
        Arguments.of("unknown limits are not compared", CpuLimits.UNKNOWN, true, List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limitCases")
  void check_comparesTheLimitsXenChecks(String name, CpuLimits guest, boolean compatible,
      List<String> exceeded, List<String> notes) {
    HostCpu h = HostCpu.builder("h", Vendor.INTEL, "f").guest(DomainType.HVM, fs(BASE), fs(BASE),
        CpuLimits.of(0xd, 0, 0x80000008L, 39, 832)).build();
    HostFitResult r = HostFit.check(T, fs(List.of("fpu")), guest, h, DomainType.HVM);
    assertEquals(compatible, r.compatible());
    assertEquals(exceeded, r.limitsExceeded());
    assertEquals(notes, r.notes());
  }
}
