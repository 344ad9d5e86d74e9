package dev.xenlevelling.xl.level;

import dev.xenlevelling.xc.policy.Vendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The invariants of issue 7 over random same-vendor pools of the 29 real CPU dumps, each booted
 * once through the simulated hypervisor (HostDumps reads a libvirt dump by booting it, and caches
 * the boot): the levelled policy is compatible with every member's max policy, closed under
 * dependencies, and maximal ({@link PoolLevellerPropertiesTest#checkInvariants}).
 */
class BootedPoolPropertiesTest {
  private static final Map<Vendor, List<HostCpu>> BY_VENDOR = boot();

  private static Map<Vendor, List<HostCpu>> boot() {
    return TestDumps.booted().stream().collect(Collectors.groupingBy(HostCpu::vendor));
  }

  @Provide
  Arbitrary<List<HostCpu>> bootedPools() {
    return Arbitraries.of(List.copyOf(BY_VENDOR.keySet())).flatMap(v ->
        Arbitraries.subsetOf(BY_VENDOR.get(v)).filter(s -> !s.isEmpty()).map(ArrayList::new));
  }

  @Property(tries = 150)
  void bootedDumps_compatibleClosedMaximal(@ForAll("bootedPools") List<HostCpu> pool)
      throws Exception {
    PoolLevellerPropertiesTest.checkInvariants(pool);
  }
}
