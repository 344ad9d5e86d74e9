package dev.xenlevelling.xc.abi;

import com.google.common.collect.ImmutableSet;
import java.util.EnumSet;

/**
 * The levelling capabilities of a host, as {@code XEN_SYSCTL_get_cpu_levelling_caps} returns them
 * (Xen 4.7 to 4.21 bit values); the hypervisor derives them from the CPU as Xen's {@code intel.c}
 * / {@code amd.c} probe them.
 *
 * @param value the {@code caps} word: {@link LevelCap} bits
 */
public record LevellingCaps(int value) {
  /** Returns whether bit {@code cap} is set. */
  public boolean has(LevelCap cap) {
    return (value & cap.mask()) != 0;
  }

  /** Returns the set bits. */
  public ImmutableSet<LevelCap> caps() {
    EnumSet<LevelCap> s = EnumSet.noneOf(LevelCap.class);
    for (LevelCap c : LevelCap.values()) {
      if (has(c)) {
        s.add(c);
      }
    }
    return ImmutableSet.copyOf(s);
  }

  /** Returns whether Xen levels by CPUID faulting (then it never uses masking MSRs). */
  public boolean faulting() {
    return has(LevelCap.FAULTING);
  }

  /** Returns the caps as Xen's boot log prints them ({@code Levelling caps: 0x1e}). */
  @Override
  public String toString() {
    // %#x by hand: start-up rule 1 (docs/performance.md).
    return "0x" + Integer.toHexString(value);
  }
}
