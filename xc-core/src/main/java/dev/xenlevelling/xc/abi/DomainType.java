package dev.xenlevelling.xc.abi;

/** The type of a guest: paravirtualised or hardware-virtualised (Xen's XEN_DOMCTL_CDF_hvm). */
public enum DomainType {
  /** A PV guest. */
  PV,
  /** An HVM guest. */
  HVM
}
