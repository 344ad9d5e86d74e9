package dev.xenlevelling.xc.abi;

import com.google.common.collect.ImmutableSet;
import dev.xenlevelling.xc.policy.Featureset;

/**
 * What {@code XEN_SYSCTL_physinfo} reports about levelling: the hardware capabilities and the
 * virtualisation capabilities.
 *
 * @param hwCaps the first 8 words of the host featureset ({@code xl info}'s hw_caps)
 * @param virtCaps the virtualisation capabilities, in {@code xl info}'s order
 * @param maxPhysAddr the host's physical address width (0x80000008 eax[7:0])
 */
public record Physinfo(Featureset hwCaps, ImmutableSet<VirtCap> virtCaps, int maxPhysAddr) {
  /** Returns {@code hw_caps} as {@code xl info} prints it: 8 words of {@code %08x:}. */
  public String hwCapsText() {
    return hwCaps.withLength(8).format();
  }

  /** Returns {@code virt_caps} as {@code xl info} prints it: names separated by spaces. */
  public String virtCapsText() {
    StringBuilder sb = new StringBuilder();
    for (VirtCap c : virtCaps) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(c.xlName());
    }
    return sb.toString();
  }
}
