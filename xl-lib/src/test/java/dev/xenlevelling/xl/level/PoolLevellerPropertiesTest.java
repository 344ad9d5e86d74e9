package dev.xenlevelling.xl.level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The invariants of issue 7 over random pools: the levelled policy is compatible with every
 * member (within every max), closed under dependencies, and maximal (no known feature could be
 * added without leaving some member's set or breaking the closure).
 */
class PoolLevellerPropertiesTest {
  static final FeatureTable T = FeatureTable.latest();
  static final PoolLeveller L = new PoolLeveller(T);
  static final Featureset KNOWN = T.mask(StaticMask.KNOWN);

  // ---- generators ----

  /** A random host near a real one: dense random words, with some missing and some unknown bits. */
  @Provide
  Arbitrary<List<HostCpu>> syntheticPools() {
    Arbitrary<HostCpu> host = Combinators.combine(
        Arbitraries.integers().list().ofSize(T.nrWords() * 2),
        Arbitraries.of(9, 14, 19, 19, 19, 22),
        Arbitraries.strings().alpha().ofLength(6))
        .as((ints, len, name) -> {
          int[] max = new int[len];
          int[] def = new int[len];
          for (int i = 0; i < len; i++) {
            int a = i < T.nrWords() ? ints.get(i) : 0x5a5a5a5a;
            int b = i < T.nrWords() ? ints.get(T.nrWords() + i) : 0x0f0f0f0f;
            max[i] = a | b | (b << 1);
            def[i] = max[i] & (b | a);
          }
          Featureset mx = Featureset.of(max);
          Featureset df = Featureset.of(def);
          // Limits from the same random words: some unknown, the others in Xen's ranges.
          int r = ints.get(0) ^ ints.get(1);
          CpuLimits limits = (r & 3) == 0 ? CpuLimits.UNKNOWN : CpuLimits.of(
              7 + ((r >>> 2) & 7), (r >>> 5) & 3, 0x80000008L + ((r >>> 7) & 0x1f),
              32 + ((r >>> 12) & 31), 576);
          return HostCpu.builder(name, Vendor.INTEL, "fp")
              .guest(DomainType.PV, df.and(T.mask(StaticMask.PV_DEF)).or(df.beyond(T.nrWords())),
                  mx.and(T.mask(StaticMask.PV_MAX)).or(mx.beyond(T.nrWords())), limits)
              .guest(DomainType.HVM, df, mx, limits)
              .build();
        });
    return host.list().ofMinSize(1).ofMaxSize(8).uniqueElements(HostCpu::name);
  }

  /** A random same-vendor pool of the 29 real dumps (stand-in policies, see TestDumps). */
  @Provide
  Arbitrary<List<HostCpu>> realPools() {
    Map<Vendor, List<HostCpu>> byVendor =
        TestDumps.all().stream().collect(Collectors.groupingBy(HostCpu::vendor));
    return Arbitraries.of(List.copyOf(byVendor.keySet())).flatMap(v ->
        Arbitraries.subsetOf(byVendor.get(v)).filter(s -> !s.isEmpty()).map(ArrayList::new));
  }

  // ---- properties ----

  @Property(tries = 300)
  void synthetic_compatibleClosedMaximal(@ForAll("syntheticPools") List<HostCpu> pool)
      throws Exception {
    checkInvariants(pool);
  }

  @Property(tries = 200)
  void realDumps_compatibleClosedMaximal(@ForAll("realPools") List<HostCpu> pool) throws Exception {
    checkInvariants(pool);
  }

  static java.util.OptionalLong asLong(java.util.OptionalInt v) {
    return v.isPresent() ? java.util.OptionalLong.of(v.getAsInt()) : java.util.OptionalLong.empty();
  }

  static java.util.OptionalLong limit(CpuLimits l, int i) {
    return switch (i) {
      case 0 -> l.maxLeaf();
      case 1 -> asLong(l.leaf7MaxSubleaf());
      case 2 -> l.extdMaxLeaf();
      default -> asLong(l.maxPhysAddr());
    };
  }

  static void assertAtMost(java.util.OptionalLong levelled, java.util.OptionalLong member,
      String what) {
    if (levelled.isPresent() && member.isPresent()) {
      assertTrue(levelled.getAsLong() <= member.getAsLong(),
          what + ": " + levelled.getAsLong() + " > " + member.getAsLong());
    }
  }

  static void checkInvariants(List<HostCpu> pool) throws Exception {
    LevelledPolicy p = L.level(pool);
    for (LevelledType lt : p.types().values()) {
      DomainType t = lt.type();
      Featureset boot = lt.boot();
      Featureset ceiling = lt.ceiling();
      // Compatible: within every member's max; the boot set within the ceiling.
      for (HostCpu h : pool) {
        GuestCpu g = h.guest(t).orElseThrow();
        assertTrue(ceiling.isSubsetOf(g.maxFeatures()), h.name() + " " + t + " ceiling");
        assertTrue(boot.isSubsetOf(g.maxFeatures()), h.name() + " " + t + " boot");
        assertTrue(HostFit.check(T, boot, h, t).compatible());
        // The levelled limits are within every member's: the limits Xen checks pass too.
        HostFitResult r = HostFit.check(T, boot, lt.limits(), h, t);
        assertTrue(r.compatible(), h.name() + " " + t + " " + r);
        assertEquals(List.of(), r.notes(), h.name() + " " + t + " maxphysaddr");
        CpuLimits m = g.limits();
        assertAtMost(lt.limits().maxLeaf(), m.maxLeaf(), h.name() + " max_leaf");
        assertAtMost(asLong(lt.limits().leaf7MaxSubleaf()), asLong(m.leaf7MaxSubleaf()),
            h.name() + " leaf7_max_subleaf");
        assertAtMost(lt.limits().extdMaxLeaf(), m.extdMaxLeaf(), h.name() + " extd_max_leaf");
        assertAtMost(asLong(lt.limits().maxPhysAddr()), asLong(m.maxPhysAddr()),
            h.name() + " maxphysaddr");
      }
      // Each limit is the least a member reports (not lower: maximal for limits too).
      for (int i = 0; i < 4; i++) {
        final int k = i;
        java.util.OptionalLong min = pool.stream()
            .map(h -> limit(h.guest(t).orElseThrow().limits(), k))
            .filter(java.util.OptionalLong::isPresent)
            .mapToLong(java.util.OptionalLong::getAsLong).min();
        assertEquals(min, limit(lt.limits(), k), t + " limit " + k);
      }
      // The XSAVE size follows the ceiling: present exactly when xsave is, at least 576 bytes.
      boolean xsave = ceiling.contains(T.byName("xsave").orElseThrow().index());
      assertEquals(xsave, lt.limits().xsaveMaxSize().isPresent(), t + " xsave size");
      lt.limits().xsaveMaxSize().ifPresent(x -> assertTrue(x >= 576, "xsave size " + x));
      assertTrue(boot.isSubsetOf(ceiling));
      // Closed under dependencies, known bits only.
      assertEquals(ceiling, T.sanitise(ceiling));
      assertEquals(boot, T.sanitise(boot));
      assertTrue(ceiling.isSubsetOf(KNOWN) && boot.isSubsetOf(KNOWN));
      // Maximal: any known feature left out breaks a member's set or the closure.
      Featureset notCeiling = KNOWN.andNot(ceiling);
      notCeiling.features().forEach(f -> {
        Featureset grown = ceiling.with(f);
        boolean breaksMember = pool.stream()
            .anyMatch(h -> !grown.isSubsetOf(h.guest(t).orElseThrow().maxFeatures()));
        boolean breaksClosure = !T.sanitise(grown).equals(grown);
        assertTrue(breaksMember || breaksClosure, "ceiling could have " + f);
      });
      Featureset notBoot = KNOWN.andNot(boot);
      notBoot.features().forEach(f -> {
        Featureset grown = boot.with(f);
        boolean orFeature = L.isSimpleOr(f);
        boolean breaksMember = !grown.isSubsetOf(ceiling) || (orFeature
            ? pool.stream().noneMatch(h -> h.guest(t).orElseThrow().defaultFeatures().contains(f))
            : pool.stream().anyMatch(h -> !h.guest(t).orElseThrow().defaultFeatures().contains(f)));
        boolean breaksClosure = !T.sanitise(grown).equals(grown);
        assertTrue(breaksMember || breaksClosure, "boot could have " + f);
      });
    }
  }
}
