package dev.xenlevelling.xc.policy;

import static dev.xenlevelling.xc.policy.CpuPolicy.EXTD_BASE;
import static dev.xenlevelling.xc.policy.CpuPolicy.HV2_LEAF;
import static dev.xenlevelling.xc.policy.CpuPolicy.HV_LEAF;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_BASIC;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_CACHE;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_EXTD;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_FEAT;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_TOPO;
import static dev.xenlevelling.xc.policy.CpuPolicy.NR_XSTATE;

import java.util.Locale;
import java.util.Optional;

/**
 * The array layout of Xen's {@code struct cpu_policy} (cpu-policy.h's {@code CPUID_GUEST_NR_*}
 * arrays, and the leaf lookup and range checks of lib/x86/cpuid.c's
 * {@code x86_cpuid_copy_from_buffer} and {@code x86_cpu_policy_clear_out_of_range_leaves}).
 *
 * <p>{@link CpuPolicy} keeps its registers in one flat array of slots, 4 ints per slot (eax ebx ecx
 * edx): the basic leaves first (slot = leaf), then the subleaf arrays of leaves 4, 7, 0xb and 0xd,
 * then the extended leaves. The two hypervisor leaves have no slot (Xen keeps each as a single
 * {@code uint8_t} limit).
 */
final class PolicyLayout {
  /** The first slot of leaf 4's subleaves. */
  static final int CACHE_SLOT = NR_BASIC;
  /** The first slot of leaf 7's subleaves. */
  static final int FEAT_SLOT = CACHE_SLOT + NR_CACHE;
  /** The first slot of leaf 0xb's subleaves. */
  static final int TOPO_SLOT = FEAT_SLOT + NR_FEAT;
  /** The first slot of leaf 0xd's subleaves. */
  static final int XSTATE_SLOT = TOPO_SLOT + NR_TOPO;
  /** The slot of leaf 0x80000000. */
  static final int EXTD_SLOT = XSTATE_SLOT + NR_XSTATE;
  /** The number of slots. */
  static final int NR_SLOTS = EXTD_SLOT + NR_EXTD;

  /** {@link #slot} of a leaf Xen's policy has no room for. */
  static final int NO_SLOT = -1;
  /** {@link #slot} of a hypervisor leaf, kept as a limit rather than in a slot. */
  static final int HV_SLOT = -2;

  private PolicyLayout() {}

  /**
   * Returns the slot of (leaf, subleaf), or {@link #NO_SLOT} where Xen's
   * {@code x86_cpuid_copy_from_buffer} would answer ERANGE. The hypervisor leaves have no slot
   * (they are single bytes) and answer {@link #HV_SLOT}.
   */
  static int slot(int leaf, int subleaf) {
    if (leaf >= 0 && leaf < NR_BASIC) {
      switch (leaf) {
        case 0x4:
          return below(subleaf, NR_CACHE) ? CACHE_SLOT + subleaf : NO_SLOT;
        case 0x7:
          return below(subleaf, NR_FEAT) ? FEAT_SLOT + subleaf : NO_SLOT;
        case 0xb:
          return below(subleaf, NR_TOPO) ? TOPO_SLOT + subleaf : NO_SLOT;
        case 0xd:
          return below(subleaf, NR_XSTATE) ? XSTATE_SLOT + subleaf : NO_SLOT;
        default:
          return subleaf == CpuidLeaf.NO_SUBLEAF ? leaf : NO_SLOT;
      }
    }
    if (leaf == HV_LEAF || leaf == HV2_LEAF) {
      return subleaf == CpuidLeaf.NO_SUBLEAF ? HV_SLOT : NO_SLOT;
    }
    int e = leaf - EXTD_BASE;
    if (e >= 0 && e < NR_EXTD) {
      return subleaf == CpuidLeaf.NO_SUBLEAF ? EXTD_SLOT + e : NO_SLOT;
    }
    return NO_SLOT;
  }

  /**
   * Returns the slot of (leaf, subleaf) as {@link #slot}, for a builder's setter.
   *
   * @throws IllegalArgumentException saying {@link #whyOutOfRange} if Xen's policy has no room for
   *     the leaf
   */
  static int checkedSlot(int leaf, int subleaf) {
    int s = slot(leaf, subleaf);
    if (s == NO_SLOT) {
      throw new IllegalArgumentException(whyOutOfRange(leaf, subleaf).orElseThrow());
    }
    return s;
  }

  /** Returns whether {@code v}, read as unsigned, is below {@code n}. */
  private static boolean below(int v, int n) {
    return v >= 0 && v < n;
  }

  /**
   * Returns why (leaf, subleaf) is not in Xen's policy, in words naming both in hex, or empty if it
   * is.
   */
  static Optional<String> whyOutOfRange(int leaf, int subleaf) {
    if (slot(leaf, subleaf) != NO_SLOT) {
      return Optional.empty();
    }
    String where = String.format(Locale.ROOT, "leaf 0x%08x subleaf 0x%08x", leaf, subleaf);
    int limit;
    switch (leaf) {
      case 0x4: limit = NR_CACHE - 1; break;
      case 0x7: limit = NR_FEAT - 1; break;
      case 0xb: limit = NR_TOPO - 1; break;
      case 0xd: limit = NR_XSTATE - 1; break;
      default: limit = -1; break;
    }
    if (limit >= 0) {
      return Optional.of(String.format(Locale.ROOT,
          "%s is out of range: Xen keeps subleaves 0x0 to 0x%x of leaf 0x%x", where, limit, leaf));
    }
    boolean known = (leaf >= 0 && leaf < NR_BASIC) || leaf == HV_LEAF || leaf == HV2_LEAF
        || (leaf - EXTD_BASE >= 0 && leaf - EXTD_BASE < NR_EXTD);
    if (known) {
      return Optional.of(where + " is out of range: leaf 0x"
          + Integer.toHexString(leaf) + " has no subleaves (subleaf must be 0xffffffff)");
    }
    return Optional.of(where + " is out of range: Xen keeps basic leaves 0x0 to 0xd, 0x40000000,"
        + " 0x40000100 and extended leaves 0x80000000 to 0x80000021");
  }

  /**
   * Returns {@code p} with every leaf above its max leaves zeroed, as Xen's
   * {@code x86_cpu_policy_clear_out_of_range_leaves}; see {@link CpuPolicy#clearOutOfRangeLeaves}.
   */
  static CpuPolicy clearOutOfRangeLeaves(CpuPolicy p) {
    CpuPolicy.Builder b = p.toBuilder();
    long maxLeaf = Integer.toUnsignedLong(p.basicMaxLeaf());
    for (int l = (int) Math.min(maxLeaf + 1, NR_BASIC); l < NR_BASIC; l++) {
      b.zero(l, l);
    }
    b.zero(CACHE_SLOT + (maxLeaf < 4 ? 0 : firstTypeZero(p, CACHE_SLOT, NR_CACHE, 0, 0)),
        CACHE_SLOT + NR_CACHE - 1);
    long maxSub = Integer.toUnsignedLong(p.leaf7MaxSubleaf());
    b.zero(FEAT_SLOT + (maxLeaf < 7 ? 0 : (int) Math.min(maxSub + 1, NR_FEAT)),
        FEAT_SLOT + NR_FEAT - 1);
    b.zero(TOPO_SLOT + (maxLeaf < 0xb ? 0 : firstTypeZero(p, TOPO_SLOT, NR_TOPO, 2, 8)),
        TOPO_SLOT + NR_TOPO - 1);
    long xs = p.xstates();
    int keepX = maxLeaf < 0xd || xs == 0 ? 0 : Math.max(2, 64 - Long.numberOfLeadingZeros(xs));
    b.zero(XSTATE_SLOT + Math.min(keepX, NR_XSTATE), XSTATE_SLOT + NR_XSTATE - 1);
    b.zero(EXTD_SLOT + Math.min((p.extdMaxLeaf() & 0xffff) + 1, NR_EXTD),
        EXTD_SLOT + NR_EXTD - 1);
    return b.build();
  }

  /** Returns the index of the first subleaf whose type field is zero, or {@code n}. */
  private static int firstTypeZero(CpuPolicy p, int slot, int n, int reg, int shift) {
    int type = reg == 0 ? 0x1f : 0xff;
    for (int i = 0; i < n; i++) {
      if (((p.slotReg(slot + i, reg) >>> shift) & type) == 0) {
        return i;
      }
    }
    return n;
  }
}
