package dev.xenlevelling.xc.abi;

import java.util.Locale;

/**
 * The type of a guest as the hypervisor knows it, paravirtualised or hardware-virtualised (Xen's
 * XEN_DOMCTL_CDF_hvm); also the guest types with their own system policies (pv_def/pv_max,
 * hvm_def/hvm_max: a PVH guest gets the HVM ones).
 */
public enum DomainType {
  /** A PV guest. */
  PV,
  /** An HVM (or PVH) guest. */
  HVM;

  /** Returns the lower-case name used in policy files and messages ({@code pv}, {@code hvm}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
