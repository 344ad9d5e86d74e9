package dev.xenlevelling.xc.hv;

/** The CPU vendor Xen derives from leaf 0's ebx/edx/ecx ({@code x86_cpuid_lookup_vendor}). */
enum Vendor {
  INTEL(0x756e6547, 0x49656e69, 0x6c65746e),
  AMD(0x68747541, 0x69746e65, 0x444d4163),
  HYGON(0x6f677948, 0x6e65476e, 0x656e6975),
  CENTAUR(0x746e6543, 0x48727561, 0x736c7561),
  SHANGHAI(0x68532020, 0x20206961, 0x68676e61),
  UNKNOWN(0, 0, 0);

  private final int ebx;
  private final int ecx;
  private final int edx;

  /** The constants list the registers in string order: ebx, edx, ecx. */
  Vendor(int ebx, int edx, int ecx) {
    this.ebx = ebx;
    this.ecx = ecx;
    this.edx = edx;
  }

  static Vendor of(int ebx, int ecx, int edx) {
    for (Vendor v : values()) {
      if (v != UNKNOWN && v.ebx == ebx && v.ecx == ecx && v.edx == edx) {
        return v;
      }
    }
    return UNKNOWN;
  }

  /** Returns whether this is AMD or Hygon (Xen's {@code X86_VENDOR_AMD | X86_VENDOR_HYGON}). */
  boolean isAmdLike() {
    return this == AMD || this == HYGON;
  }
}
