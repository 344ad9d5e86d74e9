package dev.xenlevelling.xc.abi;

/**
 * One bit of {@code XEN_SYSCTL_get_cpu_levelling_caps} ({@code XEN_SYSCTL_CPU_LEVELCAP_*}): a way
 * the hardware lets Xen level what a PV guest sees of native CPUID.
 */
public enum LevelCap {
  /** Bit 0: CPUID faulting (Intel), or AMD CpuidUserDis (4.18+). */
  FAULTING(0),
  /** Bit 1: leaf 1 ecx maskable. */
  ECX(1),
  /** Bit 2: leaf 1 edx maskable. */
  EDX(2),
  /** Bit 3: leaf 0x80000001 ecx maskable. */
  EXTD_ECX(3),
  /** Bit 4: leaf 0x80000001 edx maskable. */
  EXTD_EDX(4),
  /** Bit 5: leaf 0xd:1 eax maskable. */
  XSAVE_EAX(5),
  /** Bit 6: leaf 6 ecx maskable. */
  THERMAL_ECX(6),
  /** Bit 7: leaf 7:0 eax maskable. */
  L7S0_EAX(7),
  /** Bit 8: leaf 7:0 ebx maskable. */
  L7S0_EBX(8);

  private final int bit;

  LevelCap(int bit) {
    this.bit = bit;
  }

  /** Returns the bit number in the sysctl's {@code caps} word. */
  public int bit() {
    return bit;
  }

  /** Returns the bit's value ({@code 1 << bit}). */
  public int mask() {
    return 1 << bit;
  }
}
