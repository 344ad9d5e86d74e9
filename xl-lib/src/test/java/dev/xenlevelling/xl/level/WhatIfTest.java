package dev.xenlevelling.xl.level;

import static dev.xenlevelling.xl.level.PoolLevellerTest.BASE;
import static dev.xenlevelling.xl.level.PoolLevellerTest.fs;
import static dev.xenlevelling.xl.level.PoolLevellerTest.host;
import static dev.xenlevelling.xl.level.PoolLevellerTest.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WhatIfTest {
  static final FeatureTable T = FeatureTable.latest();
  static final WhatIf W = new WhatIf(PoolLeveller.latest());

  static final HostCpu A = host("a", fs(BASE));
  static final HostCpu B = host("b", fs(BASE, "rdrand"));
  static final HostCpu WEAK = host("weak", T.sanitise(fs(without(BASE, "avx512f", "bmi2"))));

  @Test
  void joining_weakHost_losesFeatures_andBlocksDomains() throws Exception {
    RunningDomain big = new RunningDomain("big", DomainType.HVM, fs(BASE), "a");
    RunningDomain small = new RunningDomain("small", DomainType.HVM, fs(List.of("fpu", "lm", "pae")), "b");
    WhatIfReport r = W.joining(List.of(A, B), WEAK, List.of(big, small));
    FeatureDelta d = r.changes().get(DomainType.HVM);
    assertEquals(List.of(), d.bootGained());
    assertEquals(List.of("bmi2", "avx512f", "avx512dq", "avx512vl"), d.bootLost());
    assertEquals(List.of("bmi2", "avx512f", "avx512dq", "avx512vl"), d.ceilingLost());
    assertEquals(List.of(new BlockedMove("big", "weak", false,
        ImmutableList.of("bmi2", "avx512f", "avx512dq", "avx512vl"))), r.blocked());
    assertEquals(List.of(
        "pv: the ceiling would lose bmi2 avx512f avx512dq avx512vl",
        "pv: new guests would lose bmi2 avx512f avx512dq avx512vl",
        "hvm: the ceiling would lose bmi2 avx512f avx512dq avx512vl",
        "hvm: new guests would lose bmi2 avx512f avx512dq avx512vl",
        "domain big could not move to weak: it lacks bmi2 avx512f avx512dq avx512vl"), r.describe());
  }

  @Test
  void leaving_weakHost_gainsFeatures_andChecksItsDomainsAgainstTheRest() throws Exception {
    RunningDomain onWeak = new RunningDomain("w1", DomainType.PV, T.sanitise(fs(without(BASE, "avx512f", "bmi2"), "rdrand")), "weak");
    RunningDomain onA = new RunningDomain("a1", DomainType.PV, fs(BASE, "rdrand"), "a");
    WhatIfReport r = W.leaving(List.of(A, B, WEAK), "weak", List.of(onWeak, onA));
    FeatureDelta d = r.changes().get(DomainType.PV);
    assertEquals(List.of("bmi2", "avx512f", "avx512dq", "avx512vl"), d.ceilingGained());
    assertEquals(List.of(), d.ceilingLost());
    // w1 has rdrand, which a lacks; b has it. a1 is not on the leaving host: not checked.
    assertEquals(List.of(new BlockedMove("w1", "a", false, ImmutableList.of("rdrand"))), r.blocked());
  }

  @Test
  void joiningPolicy_sameAsJoiningThePool_realDumps() throws Exception {
    PoolLeveller l = PoolLeveller.latest();
    List<HostCpu> pool = List.of(TestDumps.host("Xeon-Gold-6148"), TestDumps.host("Xeon-Platinum-8268"),
        TestDumps.host("Cooperlake"));
    for (String name : List.of("Core-i5-6600", "Ice-Lake-Server", "Xeon-w7-3465X", "Core2-E6850")) {
      HostCpu c = TestDumps.host(name);
      WhatIfReport fromPool = W.joining(pool, c, List.of());
      WhatIfReport fromPolicy = W.joining(l.level(pool), c, List.of());
      assertEquals(fromPool.after(), fromPolicy.after(), name);
      assertEquals(fromPool.changes(), fromPolicy.changes(), name);
    }
  }

  @Test
  void joiningPolicy_refusals() throws Exception {
    LevelledPolicy p = PoolLeveller.latest().level(List.of(A));
    HostCpu amd = HostCpu.builder("amd", Vendor.AMD, "f").guest(DomainType.PV, fs(BASE), fs(BASE), CpuLimits.UNKNOWN).build();
    LevelException e = assertThrows(LevelException.class, () -> W.joining(p, amd, List.of()));
    assertEquals("cannot level host amd (amd) with a pool of intel hosts; a guest cannot move between vendors",
        e.getMessage());
    e = assertThrows(LevelException.class, () -> W.joining(p, A, List.of()));
    assertEquals("host a is already in the pool", e.getMessage());
    HostCpu none = HostCpu.builder("none", Vendor.INTEL, "f").build();
    e = assertThrows(LevelException.class, () -> W.joining(p, none, List.of()));
    assertEquals(LevelException.Reason.NO_COMMON_GUEST_TYPE, e.reason());
  }

  @Test
  void joining_hostWithoutHvm_typeLostAndDomainsBlocked() throws Exception {
    Featureset b = fs(BASE);
    HostCpu pvOnly = HostCpu.builder("pvonly", Vendor.INTEL, "f").guest(DomainType.PV, b, b, CpuLimits.UNKNOWN).build();
    RunningDomain hvm = new RunningDomain("h", DomainType.HVM, fs(List.of("fpu")), "a");
    WhatIfReport r = W.joining(List.of(A), pvOnly, List.of(hvm));
    assertEquals(T.names(b), r.changes().get(DomainType.HVM).ceilingLost());
    assertTrue(r.changes().get(DomainType.PV).isEmpty());
    assertEquals(List.of(new BlockedMove("h", "pvonly", true, ImmutableList.of())), r.blocked());
    assertTrue(r.after().type(DomainType.HVM).isEmpty());
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("leaving: not a member", List.of(A, B), "zz", "host zz is not in the pool"),
        Arguments.of("leaving: the only host", List.of(A), "a", "host a is the only host: no host would be left"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void leaving_refused(String name, List<HostCpu> pool, String host, String message) {
    LevelException e = assertThrows(LevelException.class, () -> W.leaving(pool, host, List.of()));
    assertEquals(LevelException.Reason.NO_HOSTS, e.reason());
    assertEquals(message, e.getMessage());
  }

  @Test
  void joining_otherVendor_refused() {
    HostCpu amd = HostCpu.builder("amd", Vendor.AMD, "f").guest(DomainType.PV, fs(BASE), fs(BASE), CpuLimits.UNKNOWN).build();
    LevelException e = assertThrows(LevelException.class, () -> W.joining(List.of(A), amd, List.of()));
    assertEquals(LevelException.Reason.MIXED_VENDORS, e.reason());
  }

  @Test
  void joining_realDumps_haswellWithoutTsx() throws Exception {
    HostCpu tsx = TestDumps.host("Xeon-E7-8890-v3");
    HostCpu noTsx = TestDumps.host("Xeon-E5-2650-v3");
    Featureset domain = tsx.guest(DomainType.HVM).orElseThrow().defaultFeatures();
    WhatIfReport r = W.joining(List.of(tsx), noTsx, List.of(new RunningDomain("d", DomainType.HVM, domain, tsx.name())));
    assertEquals(1, r.blocked().size());
    assertTrue(r.blocked().get(0).missing().contains("rtm"), r.blocked().toString());
    assertTrue(r.changes().get(DomainType.HVM).ceilingLost().contains("rtm"));
  }

  @Test
  void joining_hostWithLowerLimits_namesEachLimitAndBlocksDomainsAboveThem() throws Exception {
    HostCpu a = HostCpu.builder("a", Vendor.INTEL, "1").guest(DomainType.HVM, fs(BASE), fs(BASE),
        CpuLimits.of(0xd, 1, 0x80000008L, 46, 832)).build();
    HostCpu low = HostCpu.builder("low", Vendor.INTEL, "2").guest(DomainType.HVM, fs(BASE),
        fs(BASE), CpuLimits.of(0xb, 0, 0x80000008L, 39, 832)).build();
    RunningDomain d = new RunningDomain("d", DomainType.HVM, fs(List.of("fpu")), "a",
        CpuLimits.of(0xd, 1, 0x80000008L, 46, 832));
    WhatIfReport r = W.joining(List.of(a), low, List.of(d));
    assertEquals(List.of(
        "hvm: max_leaf would drop from 0xd to 0xb",
        "hvm: leaf7_max_subleaf would drop from 1 to 0",
        "hvm: maxphysaddr would drop from 46 to 39",
        "domain d could not move to low: its limits are above the host's: max_leaf 0xd (host"
            + " 0xb), leaf7_max_subleaf 1 (host 0)"), r.describe());
  }
}
