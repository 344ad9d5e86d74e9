package dev.xenlevelling.xencpuid;

import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.LevellingCapNames;
import dev.xenlevelling.xc.LevellingCapNames.Group;
import java.util.ArrayList;
import java.util.List;

/**
 * The levelling capabilities ({@code XEN_SYSCTL_get_cpu_levelling_caps}, Xen 4.7 to 4.21 bit
 * values) explained, named by {@link LevellingCapNames} (as {@code xl info} names them).
 *
 * <p>No version of xen-cpuid prints them; this is the tool's own addition ({@code --levelling},
 * and {@code levelling_caps} in {@code --json}).
 */
final class LevellingCapsText {
  private LevellingCapsText() {}

  /** What each LCAP group covers, in {@link Group} order. */
  private static final ImmutableMap<Group, String> COVERS = ImmutableMap.of(
      Group.FAULTING, "every leaf (CPUID faulting)",
      Group.CD1, "CPUID 0x00000001.ecx and .edx",
      Group.E1CD, "CPUID 0x80000001.ecx and .edx",
      Group.DA1, "CPUID 0x0000000d:1.eax",
      Group.C6, "CPUID 0x00000006.ecx",
      Group.AB70, "CPUID 0x00000007:0.eax and .ebx");

  /**
   * Appends the {@code --levelling} report: the caps by name, what each covers and what that means
   * for PV guests on this host ({@code amdLike}: AMD or Hygon, whose override MSRs replace CPUID
   * values rather than mask them: xen/arch/x86/cpu/amd.c, against intel.c's masks); without {@code pv} (a Xen booted with
   * {@code pv=0}, or built without PV: no {@code pv} in its virt caps) it says there are none.
   */
  static void describe(StringBuilder sb, int caps, boolean amdLike, boolean pv) {
    List<String> names = LevellingCapNames.names(caps);
    sb.append("Levelling caps: 0x").append(Integer.toHexString(caps));
    if (!names.isEmpty()) {
      sb.append(" (").append(String.join(" ", names)).append(')');
    }
    sb.append('\n');
    List<String> uncovered = new ArrayList<>();
    for (Group g : Group.values()) {
      boolean has = g.in(caps);
      if (g != Group.FAULTING && !has) {
        uncovered.add(g.xenName());
      }
      if (!has) {
        continue;
      }
      sb.append("  ");
      Printer.padRight(sb, g.xenName(), 9);
      if (g == Group.FAULTING) {
        sb.append("CPUID faulting: every CPUID a PV guest executes traps to Xen\n");
      } else {
        sb.append(amdLike ? "override MSR: " : "masking MSR: ").append(COVERS.get(g)).append('\n');
      }
    }
    if (!pv) {
      sb.append("PV guests: not supported by this Xen (no pv in its virt caps), so the caps\n"
          + "  level nothing here.\n");
    } else {
      describePv(sb, caps, amdLike, uncovered);
    }
    sb.append("HVM guests always trap CPUID: the caps do not matter for them.\n");
  }

  private static void describePv(StringBuilder sb, int caps, boolean amdLike,
      List<String> uncovered) {
    sb.append("PV guests on this host:\n");
    if (Group.FAULTING.in(caps)) {
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
  }
}
