package dev.xenlevelling.xc.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CpuPolicyPropertiesTest {
  private static final int NA = CpuidLeaf.NO_SUBLEAF;
  private static final FeatureTable T = FeatureTable.latest();

  /** Every position Xen's policy has, hypervisor leaves included. */
  static List<int[]> positions() {
    List<int[]> out = new ArrayList<>();
    for (int l = 0; l < CpuPolicy.NR_BASIC; l++) {
      int n = l == 4 ? CpuPolicy.NR_CACHE : l == 7 ? CpuPolicy.NR_FEAT
          : l == 0xb ? CpuPolicy.NR_TOPO : l == 0xd ? CpuPolicy.NR_XSTATE : 0;
      if (n == 0) {
        out.add(new int[] {l, NA});
      }
      for (int s = 0; s < n; s++) {
        out.add(new int[] {l, s});
      }
    }
    for (int e = 0; e < CpuPolicy.NR_EXTD; e++) {
      out.add(new int[] {CpuPolicy.EXTD_BASE + e, NA});
    }
    return out;
  }

  private static final List<int[]> POSITIONS = positions();

  /** Random policies of every shape: sparse random registers, then random maxima. */
  @Provide
  Arbitrary<CpuPolicy> policies() {
    return Arbitraries.randomValue(CpuPolicyPropertiesTest::randomPolicy);
  }

  static CpuPolicy randomPolicy(Random r) {
    CpuPolicy.Builder b = CpuPolicy.builder();
    int n = r.nextInt(200);
    for (int i = 0; i < n; i++) {
      int[] p = POSITIONS.get(r.nextInt(POSITIONS.size()));
      b.reg(p[0], p[1], Register.values()[r.nextInt(4)], r.nextInt(4) == 0 ? 0 : r.nextInt());
    }
    int[] maxLeaves = {0, 3, 4, 6, 7, 0xb, 0xc, 0xd, 0xe, 0x20, -1};
    int[] maxSubs = {0, 1, 2, 3, -1};
    int[] extdMax = {0, 0x80000000, 0x80000008, 0x8000001f, 0x80000021, 0x80000028, 0x8000ffff, -1};
    b.basicMaxLeaf(maxLeaves[r.nextInt(maxLeaves.length)])
        .leaf7MaxSubleaf(maxSubs[r.nextInt(maxSubs.length)])
        .extdMaxLeaf(extdMax[r.nextInt(extdMax.length)]);
    if (r.nextBoolean()) {
      b.vendor(Vendor.values()[r.nextInt(Vendor.values().length)]);
    }
    return b.hvLimit(r.nextInt(256)).hv2Limit(r.nextInt(256))
        .platformInfo(r.nextInt()).archCaps(r.nextLong()).build();
  }

  @Provide
  Arbitrary<Featureset> featuresets() {
    return Arbitraries.integers().array(int[].class).ofMinSize(0).ofMaxSize(T.nrWords() + 3)
        .map(Featureset::of);
  }

  @Property
  void serialise_thenMerge_isIdentity(@ForAll("policies") CpuPolicy p) throws Exception {
    // Writing a policy's own serialisation over it changes nothing.
    assertEquals(p, p.mergeLeaves(p.toLeaves(), p.toMsrs()));
  }

  @Property
  void roundTrip_keepsEverySerialisedLeafAndZeroesTheRest(@ForAll("policies") CpuPolicy p)
      throws Exception {
    List<CpuidLeaf> leaves = p.toLeaves();
    assertTrue(leaves.size() <= CpuPolicy.MAX_SERIALISED_LEAVES);
    CpuPolicyTest.assertInXenOrder(leaves);
    CpuPolicy q = CpuPolicy.fromLeaves(leaves, p.toMsrs());
    assertEquals(leaves, q.toLeaves());
    assertEquals(p.toMsrs(), q.toMsrs());
    Set<Long> serialised = new HashSet<>();
    for (CpuidLeaf l : leaves) {
      serialised.add(key(l.leaf(), l.subleaf()));
    }
    for (int[] pos : POSITIONS) {
      CpuidLeaf got = q.leaf(pos[0], pos[1]).orElseThrow();
      if (serialised.contains(key(pos[0], pos[1]))) {
        assertEquals(p.leaf(pos[0], pos[1]).orElseThrow(), got);
      } else {
        assertTrue(got.isZero(), "not serialised, so zero: " + got);
      }
    }
  }

  @Property
  void clearOutOfRange_isIdempotentAndKeepsTheSerialisation(@ForAll("policies") CpuPolicy p) {
    CpuPolicy c = p.clearOutOfRangeLeaves();
    assertEquals(c, c.clearOutOfRangeLeaves());
    // Everything serialised survives, except that Xen's clear also zeroes the type-0 leaf 4 and
    // 0xb subleaves that serialisation still writes, and leaf 0xd when there is no xstate bit.
    List<CpuidLeaf> before = p.toLeaves();
    for (CpuidLeaf l : before) {
      boolean typeZeroTail = (l.leaf() == 4 && (l.a() & 0x1f) == 0)
          || (l.leaf() == 0xb && ((l.c() >>> 8) & 0xff) == 0)
          || (l.leaf() == 0xd && p.xstates() == 0);
      CpuidLeaf after = c.leaf(l.leaf(), l.subleaf()).orElseThrow();
      assertTrue(typeZeroTail ? after.isZero() : after.equals(l), l + " became " + after);
    }
  }

  @Property
  void withFeatureset_thenFeatureset_isTheWordsOfTheTable(
      @ForAll("policies") CpuPolicy p, @ForAll("featuresets") Featureset fs) {
    Featureset expected = Featureset.of(Arrays.copyOf(fs.toArray(), T.nrWords()));
    Featureset got = p.withFeatureset(fs).featureset();
    assertEquals(expected, got);
    assertEquals(T.nrWords(), got.length());
  }

  @Property
  void withFeatureset_changesOnlyFeatureRegisters(
      @ForAll("policies") CpuPolicy p, @ForAll("featuresets") Featureset fs) {
    CpuPolicy q = p.withFeatureset(fs);
    Set<String> featureRegs = new HashSet<>();
    for (FeatureWord w : T.words()) {
      if (!w.msr()) {
        featureRegs.add(w.leaf() + ":" + w.subleaf().orElse(NA) + ":" + w.register());
      }
    }
    for (int[] pos : POSITIONS) {
      for (Register r : Register.values()) {
        if (!featureRegs.contains(pos[0] + ":" + pos[1] + ":" + r)) {
          assertEquals(p.reg(pos[0], pos[1], r), q.reg(pos[0], pos[1], r));
        }
      }
    }
    assertEquals(p.platformInfo(), q.platformInfo());
    assertEquals(p.hvLimit(), q.hvLimit());
    assertEquals(fs.word(16) & 0xffffffffL | (long) fs.word(17) << 32, q.archCaps());
  }

  @Property
  void withOwnFeatureset_isIdentity(@ForAll("policies") CpuPolicy p) {
    assertEquals(p, p.withFeatureset(p.featureset()));
  }

  private static long key(int leaf, int subleaf) {
    return Integer.toUnsignedLong(leaf) << 32 | Integer.toUnsignedLong(subleaf);
  }
}
