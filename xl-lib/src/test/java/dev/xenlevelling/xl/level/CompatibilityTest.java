package dev.xenlevelling.xl.level;

import static dev.xenlevelling.xl.level.PoolLevellerTest.BASE;
import static dev.xenlevelling.xl.level.PoolLevellerTest.fs;
import static dev.xenlevelling.xl.level.PoolLevellerTest.host;
import static dev.xenlevelling.xl.level.PoolLevellerTest.without;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CompatibilityTest {
  static final FeatureTable T = FeatureTable.latest();

  static Stream<Arguments> cases() {
    HostCpu weak = host("weak", fs(without(BASE, "avx2", "bmi2")));
    HostCpu pvOnly = HostCpu.builder("pvonly", Vendor.INTEL, "f")
        .guest(GuestType.PV, fs(BASE), fs(BASE), CpuLimits.UNKNOWN).build();
    return Stream.of(
        Arguments.of("fits", fs(List.of("fpu", "lm")), weak, GuestType.HVM, true, true, List.of()),
        Arguments.of("names every missing feature", fs(BASE), weak, GuestType.HVM, false, true,
            List.of("avx2", "bmi2")),
        Arguments.of("unknown bits are named by number", fs(List.of("fpu")).with(19 * 32 + 1), weak,
            GuestType.PV, false, true, List.of("bit 609 (word 19 bit 1)")),
        Arguments.of("a 9-word domain on a 19-word host", fs(List.of("fpu", "lm")).withLength(9), weak,
            GuestType.PV, true, true, List.of()),
        Arguments.of("the host's x87 bits are the host's (Xen takes them from the host)",
            fs(List.of("fpu", "lm", "fdp-excp-only", "no-fpu-sel")), weak, GuestType.HVM, true,
            true, List.of()),
        Arguments.of("type not supported", Featureset.empty(), pvOnly, GuestType.HVM, false, false,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void check_namesMissing(String name, Featureset domain, HostCpu host, GuestType type,
      boolean compatible, boolean supported, List<String> missing) {
    CompatibilityResult r = Compatibility.check(T, domain, host, type);
    assertEquals(compatible, r.compatible());
    assertEquals(supported, r.typeSupported());
    assertEquals(missing, r.missing());
    assertEquals(host.name(), r.host());
  }
}
