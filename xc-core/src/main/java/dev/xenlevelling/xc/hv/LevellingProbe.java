package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.abi.LevellingCaps;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.Vendor;

/**
 * The boot-time probe of a host's levelling capabilities, as Xen's {@code intel.c} / {@code amd.c}
 * probe CPUID faulting and the masking MSRs, and Xen's internal {@code LCAP_*} groups.
 */
final class LevellingProbe {
  /** Xen's internal LCAP_faulting. */
  static final int LCAP_FAULTING = 0x1;
  /** LCAP_1cd: leaf 1 ecx and edx. */
  static final int LCAP_1CD = 0x6;
  /** LCAP_e1cd: leaf 0x80000001 ecx and edx. */
  static final int LCAP_E1CD = 0x18;
  /** LCAP_Da1: leaf 0xd:1 eax. */
  static final int LCAP_DA1 = 0x20;
  /** LCAP_6c: leaf 6 ecx. */
  static final int LCAP_6C = 0x40;
  /** LCAP_7ab0: leaf 7:0 eax and ebx. */
  static final int LCAP_7AB0 = 0x180;

  private LevellingProbe() {}

  /** Returns whether {@code caps} holds all of {@code lcap} (a group such as {@link #LCAP_1CD}). */
  static boolean hasAll(LevellingCaps caps, int lcap) {
    return (caps.value() & lcap) == lcap;
  }

  /**
   * Returns the levelling caps of the CPU whose raw leaves are {@code raw}; {@code platformInfo} is
   * MSR_PLATFORM_INFO when the CPU source recorded it.
   *
   * <p>Intel (family 6 only): CPUID faulting if PLATFORM_INFO bit 31 says so, or, when the source
   * has no PLATFORM_INFO, on IvyBridge (model 0x3a) and later; with faulting Xen does not probe the
   * masking MSRs at all. Otherwise the masking MSRs by model: Penryn 0x17/0x1d 1cd, Nehalem and
   * Westmere 1cd+e1cd, SandyBridge 0x2a/0x2d 1cd+e1cd+Da1. Family 0xF is skipped (Xen is not
   * virtualised here).
   *
   * <p>AMD/Hygon: CpuidUserDis (0x80000021 eax bit 17) counts as faulting (4.18+). Otherwise the
   * override MSRs by family: none on Fam11h nor on Fam0Fh before model 0x20 (RevD and earlier);
   * else 1cd+e1cd, plus 7ab0 if the max basic leaf is 7 or more, plus 6c on Fam15h when leaf 6
   * ecx is not zero.
   *
   * <p>Deviation: Intel models after IvyBridge whose dump lacks PLATFORM_INFO are assumed to
   * enumerate faulting; the Silvermont/Airmont Atoms (0x37, 0x4a, 0x4c, 0x4d, 0x5a, 0x5d) are
   * assumed not to (uncertain: no dump of them to check).
   */
  static LevellingCaps derive(CpuPolicy raw, java.util.Optional<Long> platformInfo) {
    Vendor v = raw.vendor();
    int fam = raw.family();
    int model = raw.model();
    if (v == Vendor.INTEL) {
      if (fam != 6) {
        return new LevellingCaps(0);
      }
      if (intelFaulting(model, platformInfo)) {
        return new LevellingCaps(LCAP_FAULTING);
      }
      switch (model) {
        case 0x17: case 0x1d:
          return new LevellingCaps(LCAP_1CD);
        case 0x1a: case 0x1e: case 0x1f: case 0x25: case 0x2c: case 0x2e: case 0x2f:
          return new LevellingCaps(LCAP_1CD | LCAP_E1CD);
        case 0x2a: case 0x2d:
          return new LevellingCaps(LCAP_1CD | LCAP_E1CD | LCAP_DA1);
        default:
          return new LevellingCaps(0);
      }
    }
    if (Policies.isAmdLike(v)) {
      if (Integer.compareUnsigned(raw.extdMaxLeaf(), 0x80000021) >= 0
          && Policies.bit(raw, 0x80000021, 0, Register.EAX, 17)) {
        return new LevellingCaps(LCAP_FAULTING);
      }
      if (fam == 0x11 || (fam == 0xf && model < 0x20)) {
        return new LevellingCaps(0);
      }
      int caps = LCAP_1CD | LCAP_E1CD;
      if (Integer.compareUnsigned(raw.basicMaxLeaf(), 7) >= 0) {
        caps |= LCAP_7AB0;
      }
      if (fam == 0x15 && Policies.reg(raw, 6, 0, Register.ECX) != 0) {
        caps |= LCAP_6C;
      }
      return new LevellingCaps(caps);
    }
    return new LevellingCaps(0);
  }

  /** Returns whether an Intel family 6 CPU has CPUID faulting (see {@link #derive}). */
  static boolean intelFaulting(int model, java.util.Optional<Long> platformInfo) {
    if (platformInfo.isPresent()) {
      return (platformInfo.get() & CpuPolicy.PLATFORM_INFO_CPUID_FAULTING & 0xffffffffL) != 0;
    }
    switch (model) {
      case 0x37: case 0x4a: case 0x4c: case 0x4d: case 0x5a: case 0x5d:
        return false;
      default:
        return model >= 0x3a;
    }
  }
}
