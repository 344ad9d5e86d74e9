package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;

/**
 * Leaf 0xd of a policy derived from its features, as Xen's {@code recalculate_xstate}
 * ({@code xen/arch/x86/cpu-policy.c}): used by every policy the host derives at boot and by a
 * domain's recalculation.
 */
final class Xstate {
  /** An XCR0/XSS component group Xen enables when the policy has {@code feature}. */
  private record Component(String feature, long bits) {}

  /** The components Xen enables per feature, as recalculate_xstate. */
  private static final Component[] COMPONENTS = {
      new Component("avx", 1L << 2), new Component("mpx", (1L << 3) | (1L << 4)),
      new Component("avx512f", (1L << 5) | (1L << 6) | (1L << 7)), new Component("pku", 1L << 9),
      new Component("cet-ss", (1L << 11) | (1L << 12)),
      new Component("cet-ibt", (1L << 11) | (1L << 12)),
      new Component("amx-tile", (1L << 17) | (1L << 18)), new Component("lwp", 1L << 62)};
  /** XSTATE_XSAVES_ONLY: the supervisor components (PT, PASID, CET, HDC, UINTR, LBR, HWP). */
  private static final long XSAVES_ONLY = (1L << 8) | (0x7fL << 10);
  /** XSTATE_AREA_MIN_SIZE: the legacy area plus the xsave header. */
  private static final int XSTATE_AREA_MIN_SIZE = 512 + 64;

  private Xstate() {}

  /**
   * Returns {@code p} with leaf 0xd rebuilt from its features, as Xen's
   * {@code recalculate_xstate}: without xsave (or below basic leaf 0xd) all of leaf 0xd is zero;
   * otherwise x87 and SSE plus the components of avx, mpx, avx512f, pku, cet-ss/cet-ibt (XSS, with
   * xsaves only), amx-tile and lwp that the CPU has, each subleaf's size/offset/flags from the
   * CPU's own ({@code raw}), the uncompacted size of the user components in 0xd:0 ecx, and Da1
   * kept. The dynamic sizes (0xd:0 ebx, 0xd:1 ebx) are zero, as Xen's policies have them.
   */
  static CpuPolicy recalculate(CpuPolicy p, CpuPolicy raw) {
    CpuPolicy.Builder b = p.toBuilder();
    int da1 = p.reg(0xd, 1, Register.EAX);
    for (int s = 0; s < CpuPolicy.NR_XSTATE; s++) {
      b.leaf(0xd, s, 0, 0, 0, 0);
    }
    Featureset fs = p.featureset();
    if (!fs.contains(Feat.XSAVE) || Integer.compareUnsigned(p.basicMaxLeaf(), 0xd) < 0) {
      return b.build();
    }
    long xstates = 0x3;
    for (Component c : COMPONENTS) {
      if (fs.contains(Feat.n(c.feature()))) {
        xstates |= c.bits();
      }
    }
    xstates &= raw.xstates() | 0x3;
    if (!fs.contains(Feat.n("xsaves"))) {
      xstates &= ~XSAVES_ONLY;
    }
    int size = XSTATE_AREA_MIN_SIZE;
    for (int i = 2; i < CpuPolicy.NR_XSTATE; i++) {
      if ((xstates & (1L << i)) == 0) {
        continue;
      }
      int compSize = raw.reg(0xd, i, Register.EAX);
      int offset = raw.reg(0xd, i, Register.EBX);
      b.leaf(0xd, i, compSize, offset, raw.reg(0xd, i, Register.ECX) & 0x3, 0);
      if ((XSAVES_ONLY & (1L << i)) == 0) {
        size = Math.max(size, offset + compSize);
      }
    }
    long xcr0 = xstates & ~XSAVES_ONLY;
    long xss = xstates & XSAVES_ONLY;
    b.leaf(0xd, 0, (int) xcr0, 0, size, (int) (xcr0 >>> 32));
    b.leaf(0xd, 1, da1, 0, (int) xss, (int) (xss >>> 32));
    return b.build();
  }
}
