package dev.xenlevelling.xc.hv;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.Register;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hypervisor's mutable working copy of one CPU policy while it derives or clamps it: the
 * leaves Xen's {@code struct cpu_policy} arrays hold, keyed by (leaf, subleaf), plus the two
 * MSRs. Only the code of this package touches it; what leaves the package is immutable.
 */
final class Leaves {
  static final int BASIC_LIMIT = 0xd;
  static final int FEAT_SUBLEAF_LIMIT = 2;
  static final int EXTD_LIMIT = 0x80000021;
  static final int CACHE_SUBLEAVES = 5;
  static final int TOPO_SUBLEAVES = 2;
  static final int XSTATE_SUBLEAVES = 63;
  static final int HV_LEAF = 0x40000000;
  static final int HV2_LEAF = 0x40000100;
  /** MSR_PLATFORM_INFO bit 31: CPUID faulting. */
  static final long PLATFORM_INFO_CPUID_FAULTING = 1L << 31;

  private final TreeMap<Long, int[]> map = new TreeMap<>();
  long platformInfo;
  long archCaps;

  Leaves copy() {
    Leaves c = new Leaves();
    for (Map.Entry<Long, int[]> e : map.entrySet()) {
      c.map.put(e.getKey(), e.getValue().clone());
    }
    c.platformInfo = platformInfo;
    c.archCaps = archCaps;
    return c;
  }

  /** Returns whether {@code leaf} has subleaves in Xen's policy (4, 7, 0xb, 0xd). */
  static boolean hasSubleaves(int leaf) {
    return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
  }

  private static long key(int leaf, int subleaf) {
    int s = hasSubleaves(leaf) ? subleaf : CpuidLeaf.NO_SUBLEAF;
    return (Integer.toUnsignedLong(leaf) << 32) | Integer.toUnsignedLong(s);
  }

  int get(int leaf, int subleaf, Register r) {
    int[] v = map.get(key(leaf, subleaf));
    return v == null ? 0 : v[r.ordinal()];
  }

  int[] regs(int leaf, int subleaf) {
    int[] v = map.get(key(leaf, subleaf));
    return v == null ? new int[4] : v.clone();
  }

  void set(int leaf, int subleaf, int a, int b, int c, int d) {
    map.put(key(leaf, subleaf), new int[] {a, b, c, d});
  }

  void setReg(int leaf, int subleaf, Register r, int value) {
    map.computeIfAbsent(key(leaf, subleaf), k -> new int[4])[r.ordinal()] = value;
  }

  void clear(int leaf, int subleaf) {
    map.remove(key(leaf, subleaf));
  }

  boolean bit(int leaf, int subleaf, Register r, int bit) {
    return (get(leaf, subleaf, r) & (1 << bit)) != 0;
  }

  int basicMax() {
    return get(0, 0, Register.EAX);
  }

  int featMaxSubleaf() {
    return get(7, 0, Register.EAX);
  }

  int extdMax() {
    return get(0x80000000, 0, Register.EAX);
  }

  Vendor vendor() {
    return Vendor.of(get(0, 0, Register.EBX), get(0, 0, Register.ECX), get(0, 0, Register.EDX));
  }

  /** Returns the family as Xen computes it from leaf 1 eax (base, plus extended when 0xf). */
  int family() {
    int eax = get(1, 0, Register.EAX);
    int fam = (eax >>> 8) & 0xf;
    return fam == 0xf ? fam + ((eax >>> 20) & 0xff) : fam;
  }

  /** Returns the model (with the extended model when the family is 6 or more). */
  int model() {
    int eax = get(1, 0, Register.EAX);
    int model = (eax >>> 4) & 0xf;
    return family() >= 6 ? model | (((eax >>> 16) & 0xf) << 4) : model;
  }

  int stepping() {
    return get(1, 0, Register.EAX) & 0xf;
  }

  /** Returns 0x80000008 eax[7:0] (maxphysaddr). */
  int maxPhysAddr() {
    return get(0x80000008, 0, Register.EAX) & 0xff;
  }

  /** Returns the feature words, read out of the leaves and ARCH_CAPS. */
  Featureset featureset(FeatureTable t) {
    int[] w = new int[t.nrWords()];
    for (FeatureWord fw : t.words()) {
      if (fw.msr()) {
        if (fw.leaf() == MsrEntry.ARCH_CAPS) {
          w[fw.index()] = (int) (fw.register() == Register.EAX ? archCaps : archCaps >>> 32);
        }
      } else {
        w[fw.index()] = get(fw.leaf(), fw.subleaf().orElse(0), fw.register());
      }
    }
    return Featureset.of(w);
  }

  /** Writes {@code fs} into the feature words of the leaves and ARCH_CAPS. */
  void setFeatureset(FeatureTable t, Featureset fs) {
    for (FeatureWord fw : t.words()) {
      int v = fs.word(fw.index());
      if (fw.msr()) {
        if (fw.leaf() == MsrEntry.ARCH_CAPS) {
          long u = Integer.toUnsignedLong(v);
          archCaps = fw.register() == Register.EAX
              ? (archCaps & 0xffffffff00000000L) | u
              : (archCaps & 0xffffffffL) | (u << 32);
        }
      } else {
        setReg(fw.leaf(), fw.subleaf().orElse(0), fw.register(), v);
      }
    }
  }

  /** Drops every stored leaf Xen's arrays would not hold or that lies past the max leaves. */
  void trimToMaxLeaves() {
    int basic = basicMax();
    int feat = featMaxSubleaf();
    int extd = extdMax();
    map.keySet().removeIf(k -> {
      int leaf = (int) (k >>> 32);
      int sub = (int) (long) k;
      if (Integer.compareUnsigned(leaf, BASIC_LIMIT) <= 0) {
        if (Integer.compareUnsigned(leaf, basic) > 0) {
          return true;
        }
        switch (leaf) {
          case 4: return Integer.compareUnsigned(sub, CACHE_SUBLEAVES) >= 0;
          case 7: return Integer.compareUnsigned(sub, Math.min(feat, FEAT_SUBLEAF_LIMIT)) > 0;
          case 0xb: return Integer.compareUnsigned(sub, TOPO_SUBLEAVES) >= 0;
          case 0xd: return Integer.compareUnsigned(sub, XSTATE_SUBLEAVES) >= 0;
          default: return false;
        }
      }
      if (leaf == HV_LEAF || leaf == HV2_LEAF) {
        return false;
      }
      if ((leaf & 0xffff0000) == 0x80000000) {
        if ((extd & 0xffff0000) != 0x80000000) {
          return leaf != 0x80000000;
        }
        int last = Integer.compareUnsigned(extd, EXTD_LIMIT) > 0 ? EXTD_LIMIT : extd;
        return Integer.compareUnsigned(leaf, last) > 0;
      }
      return true;
    });
  }

  /**
   * Returns the leaves in the order and extent of Xen's {@code x86_cpuid_copy_to_buffer}: basic
   * leaves to min(max, 0xd) (leaf 4 until the cache type is 0, leaf 7 to its max subleaf, leaf 0xb
   * until the level type is 0, leaf 0xd while xstate bits remain), the two hypervisor limits,
   * then extended leaves to min(max, 0x80000021).
   */
  ImmutableList<CpuidLeaf> serialise() {
    ImmutableList.Builder<CpuidLeaf> out = ImmutableList.builder();
    int basic = (int) Math.min(Integer.toUnsignedLong(basicMax()), BASIC_LIMIT);
    for (int leaf = 0; leaf <= basic; leaf++) {
      switch (leaf) {
        case 4:
          for (int s = 0; s < CACHE_SUBLEAVES; s++) {
            add(out, 4, s);
            if ((get(4, s, Register.EAX) & 0x1f) == 0) {
              break;
            }
          }
          break;
        case 7:
          for (int s = 0; s <= Math.min(Integer.toUnsignedLong(featMaxSubleaf()), FEAT_SUBLEAF_LIMIT); s++) {
            add(out, 7, s);
          }
          break;
        case 0xb:
          for (int s = 0; s < TOPO_SUBLEAVES; s++) {
            add(out, 0xb, s);
            if (((get(0xb, s, Register.ECX) >>> 8) & 0xff) == 0) {
              break;
            }
          }
          break;
        case 0xd:
          long xstates = Integer.toUnsignedLong(get(0xd, 0, Register.EAX))
              | Integer.toUnsignedLong(get(0xd, 0, Register.EDX)) << 32
              | Integer.toUnsignedLong(get(0xd, 1, Register.ECX))
              | Integer.toUnsignedLong(get(0xd, 1, Register.EDX)) << 32;
          for (int s = 0; s < XSTATE_SUBLEAVES; s++) {
            if (s >= 2 && (xstates >>> s) == 0) {
              break;
            }
            add(out, 0xd, s);
          }
          break;
        default:
          add(out, leaf, CpuidLeaf.NO_SUBLEAF);
      }
    }
    add(out, HV_LEAF, CpuidLeaf.NO_SUBLEAF);
    add(out, HV2_LEAF, CpuidLeaf.NO_SUBLEAF);
    int extd = extdMax();
    if ((extd & 0xffff0000) == 0x80000000) {
      int last = Integer.compareUnsigned(extd, EXTD_LIMIT) > 0 ? EXTD_LIMIT : extd;
      for (int leaf = 0x80000000; Integer.compareUnsigned(leaf, last) <= 0; leaf++) {
        add(out, leaf, CpuidLeaf.NO_SUBLEAF);
      }
    } else {
      add(out, 0x80000000, CpuidLeaf.NO_SUBLEAF);
    }
    return out.build();
  }

  private void add(ImmutableList.Builder<CpuidLeaf> out, int leaf, int subleaf) {
    int[] r = regs(leaf, subleaf);
    out.add(new CpuidLeaf(leaf, hasSubleaves(leaf) ? subleaf : CpuidLeaf.NO_SUBLEAF,
        r[0], r[1], r[2], r[3]));
  }

  /** Returns the two MSRs of the policy, PLATFORM_INFO then ARCH_CAPS. */
  ImmutableList<MsrEntry> msrs() {
    return ImmutableList.of(new MsrEntry(MsrEntry.PLATFORM_INFO, 0, platformInfo),
        new MsrEntry(MsrEntry.ARCH_CAPS, 0, archCaps));
  }

  /** Returns every stored leaf in (leaf, subleaf) order, as given (for tests and the store). */
  ImmutableList<CpuidLeaf> toList() {
    ImmutableList.Builder<CpuidLeaf> out = ImmutableList.builder();
    for (Map.Entry<Long, int[]> e : map.entrySet()) {
      int[] r = e.getValue();
      out.add(new CpuidLeaf((int) (e.getKey() >>> 32), (int) (long) e.getKey(), r[0], r[1], r[2], r[3]));
    }
    return out.build();
  }

  static Leaves fromList(Iterable<CpuidLeaf> leaves) {
    Leaves l = new Leaves();
    for (CpuidLeaf c : leaves) {
      l.set(c.leaf(), c.subleaf(), c.a(), c.b(), c.c(), c.d());
    }
    return l;
  }
}
