package dev.xenlevelling.xc;

import com.google.common.collect.ImmutableList;

/**
 * The names of levelling capabilities ({@code XEN_SYSCTL_get_cpu_levelling_caps}, Xen 4.7 to 4.21
 * bit values), one decoder for every tool that prints them ({@code xl info}'s
 * {@code levelling_caps}, {@code xen-cpuid --levelling} and {@code --json}): each whole group by
 * the name Xen's boot log and sources give it ({@code LCAP_*}: {@code faulting}, {@code 1cd},
 * {@code e1cd}, {@code Da1}, {@code 6c}, {@code 7ab0}).
 */
public final class LevellingCapNames {
  /** One of Xen's LCAP_* groups: its name and its sysctl bits. */
  public enum Group {
    /** LCAP_faulting: CPUID faulting. */
    FAULTING("faulting", 0x1),
    /** LCAP_1cd: leaf 1 ecx and edx. */
    CD1("1cd", 0x6),
    /** LCAP_e1cd: leaf 0x80000001 ecx and edx. */
    E1CD("e1cd", 0x18),
    /** LCAP_Da1: leaf 0xd:1 eax. */
    DA1("Da1", 0x20),
    /** LCAP_6c: leaf 6 ecx. */
    C6("6c", 0x40),
    /** LCAP_7ab0: leaf 7:0 eax and ebx. */
    AB70("7ab0", 0x180);

    private final String xenName;
    private final int bits;

    Group(String xenName, int bits) {
      this.xenName = xenName;
      this.bits = bits;
    }

    /** Returns Xen's name of the group ({@code 1cd}). */
    public String xenName() {
      return xenName;
    }

    /** Returns the group's sysctl bits. */
    public int bits() {
      return bits;
    }

    /** Returns whether every bit of the group is in {@code caps}. */
    public boolean in(int caps) {
      return (caps & bits) == bits;
    }
  }

  /** The sysctl's per-bit names ({@code XEN_SYSCTL_CPU_LEVELCAP_*}), bit 0 first. */
  private static final ImmutableList<String> BIT_NAMES = ImmutableList.of("faulting", "ecx",
      "edx", "extd_ecx", "extd_edx", "xsave_eax", "thermal_ecx", "l7s0_eax", "l7s0_ebx");

  private LevellingCapNames() {}

  /**
   * Returns the names of the caps in {@code caps}: each whole LCAP group by its name, in Xen's
   * order; a group only partly present (Xen never reports one) by its sysctl bit names, and bits
   * Xen does not define as {@code bit<N>}.
   */
  public static ImmutableList<String> names(int caps) {
    ImmutableList.Builder<String> names = ImmutableList.builder();
    int rest = caps;
    for (Group g : Group.values()) {
      if (g.in(caps)) {
        names.add(g.xenName);
        rest &= ~g.bits;
      }
    }
    for (int bit = 0; bit < 32; bit++) {
      if ((rest & (1 << bit)) != 0) {
        names.add(bit < BIT_NAMES.size() ? BIT_NAMES.get(bit) : "bit" + bit);
      }
    }
    return names.build();
  }
}
