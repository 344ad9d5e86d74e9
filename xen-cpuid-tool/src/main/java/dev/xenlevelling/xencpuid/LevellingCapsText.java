package dev.xenlevelling.xencpuid;

import java.util.ArrayList;
import java.util.List;

/**
 * The levelling capabilities ({@code XEN_SYSCTL_get_cpu_levelling_caps}, Xen 4.7 to 4.21 bit
 * values) decoded by the names Xen's boot log and sources use for them: {@code faulting},
 * {@code 1cd}, {@code e1cd}, {@code Da1}, {@code 6c} and {@code 7ab0} (Xen's {@code LCAP_*}).
 *
 * <p>No version of xen-cpuid prints them; this is the tool's own addition ({@code --levelling},
 * and {@code levelling_caps} in {@code --json}).
 */
final class LevellingCapsText {
  private LevellingCapsText() {}

  /** One of Xen's LCAP_* groups: its name, its sysctl bits and the CPUID registers it covers. */
  enum Group {
    FAULTING("faulting", 0x1, "every leaf (CPUID faulting)"),
    CD1("1cd", 0x6, "CPUID 0x00000001.ecx and .edx"),
    E1CD("e1cd", 0x18, "CPUID 0x80000001.ecx and .edx"),
    DA1("Da1", 0x20, "CPUID 0x0000000d:1.eax"),
    C6("6c", 0x40, "CPUID 0x00000006.ecx"),
    AB70("7ab0", 0x180, "CPUID 0x00000007:0.eax and .ebx");

    final String xenName;
    final int bits;
    final String covers;

    Group(String xenName, int bits, String covers) {
      this.xenName = xenName;
      this.bits = bits;
      this.covers = covers;
    }
  }

  /** The sysctl's per-bit names ({@code XEN_SYSCTL_CPU_LEVELCAP_*}), bit 0 first. */
  private static final String[] BIT_NAMES = {
    "faulting", "ecx", "edx", "extd_ecx", "extd_edx", "xsave_eax", "thermal_ecx", "l7s0_eax",
    "l7s0_ebx"
  };

  /**
   * Returns the names of the caps in {@code caps}: each whole LCAP group by its name, in Xen's
   * order; a group only partly present (Xen never reports one) by its sysctl bit names, and bits
   * Xen does not define as {@code bit<N>}.
   */
  static List<String> names(int caps) {
    List<String> names = new ArrayList<>();
    int rest = caps;
    for (Group g : Group.values()) {
      if ((caps & g.bits) == g.bits) {
        names.add(g.xenName);
        rest &= ~g.bits;
      }
    }
    for (int bit = 0; bit < 32; bit++) {
      if ((rest & (1 << bit)) != 0) {
        names.add(bit < BIT_NAMES.length ? BIT_NAMES[bit] : "bit" + bit);
      }
    }
    return names;
  }

  /**
   * Appends the {@code --levelling} report: the caps by name, what each covers and what that means
   * for PV guests on this host ({@code amdLike}: AMD or Hygon, whose override MSRs replace CPUID
   * values rather than mask them, as XEN-FACTS f).
   */
  static void describe(StringBuilder sb, int caps, boolean amdLike) {
    List<String> names = names(caps);
    sb.append("Levelling caps: 0x").append(Integer.toHexString(caps));
    if (!names.isEmpty()) {
      sb.append(" (").append(String.join(" ", names)).append(')');
    }
    sb.append('\n');
    boolean faulting = (caps & Group.FAULTING.bits) != 0;
    List<String> uncovered = new ArrayList<>();
    for (Group g : Group.values()) {
      boolean has = (caps & g.bits) == g.bits;
      if (g != Group.FAULTING && !has) {
        uncovered.add(g.xenName);
      }
      if (!has) {
        continue;
      }
      sb.append("  ");
      Printer.padRight(sb, g.xenName, 9);
      if (g == Group.FAULTING) {
        sb.append("CPUID faulting: every CPUID a PV guest executes traps to Xen\n");
      } else {
        sb.append(amdLike ? "override MSR: " : "masking MSR: ").append(g.covers).append('\n');
      }
    }
    sb.append("PV guests on this host:\n");
    if (faulting) {
      sb.append("  Xen answers every CPUID from the guest's policy, in kernel and user mode: a PV\n"
          + "  guest sees exactly its levelled policy, as an HVM guest does.\n");
    } else if (caps == 0) {
      sb.append("  No faulting and no masking MSRs: a PV guest's native CPUID shows the real\n"
          + "  hardware (only a PV kernel's forced-emulation CPUID sees its policy). PV guests\n"
          + "  cannot be levelled here; HVM guests always can.\n");
    } else {
      sb.append("  No CPUID faulting: a PV guest's native CPUID (user space, and a kernel not using\n"
          + "  the forced-emulation prefix) runs on the hardware. Xen loads the domain's policy\n"
          + "  into the MSRs above on context switch, so those registers are levelled; every\n"
          + "  other leaf shows the real hardware values.\n");
      if (amdLike) {
        sb.append("  AMD override MSRs replace the values, so they can also advertise features the\n"
            + "  hardware lacks.\n");
      } else {
        sb.append("  Intel masking MSRs can only hide features (AND), never add them.\n");
      }
      if (!uncovered.isEmpty()) {
        sb.append("  Not levelled for PV here: ").append(String.join(" ", uncovered)).append('\n');
      }
    }
    sb.append("HVM guests always trap CPUID: the caps do not matter for them.\n");
  }
}
