package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.Vendor;

/** Small helpers over {@link CpuPolicy} for the hypervisor's rules. */
final class Policies {
  /** Xen's array limits for the max leaves. */
  static final int BASIC_LIMIT = CpuPolicy.NR_BASIC - 1;
  static final int FEAT_SUBLEAF_LIMIT = CpuPolicy.NR_FEAT - 1;
  static final int EXTD_LIMIT = CpuPolicy.EXTD_BASE + CpuPolicy.NR_EXTD - 1;

  private Policies() {}

  /** Returns whether {@code leaf} has subleaves in Xen's policy (4, 7, 0xb, 0xd). */
  static boolean hasSubleaves(int leaf) {
    return leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd;
  }

  /** Returns the subleaf Xen files (leaf, subleaf) under: NO_SUBLEAF for a leaf without any. */
  static int sub(int leaf, int subleaf) {
    return hasSubleaves(leaf) ? subleaf : CpuidLeaf.NO_SUBLEAF;
  }

  static int reg(CpuPolicy p, int leaf, int subleaf, Register r) {
    return p.reg(leaf, sub(leaf, subleaf), r);
  }

  static boolean bit(CpuPolicy p, int leaf, int subleaf, Register r, int bit) {
    return (reg(p, leaf, subleaf, r) & (1 << bit)) != 0;
  }

  static void setReg(CpuPolicy.Builder b, int leaf, int subleaf, Register r, int value) {
    b.reg(leaf, sub(leaf, subleaf), r, value);
  }

  static boolean isAmdLike(Vendor v) {
    return v == Vendor.AMD || v == Vendor.HYGON;
  }
}
