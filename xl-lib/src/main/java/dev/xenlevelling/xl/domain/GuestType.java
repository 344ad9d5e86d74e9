package dev.xenlevelling.xl.domain;

import dev.xenlevelling.xc.abi.DomainType;
import java.util.Locale;

/** A domain's type, as libxl's {@code libxl_domain_type}. */
public enum GuestType {
  /** Paravirtualised. */
  PV,
  /** PVH: HVM container without emulated devices. */
  PVH,
  /** Fully virtualised. */
  HVM;

  /** Returns the name libxl's JSON uses ({@code pv}, {@code pvh}, {@code hvm}). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the type of Xen's system policies this domain gets (pv_def/pv_max or
   * hvm_def/hvm_max): PVH is an HVM container and gets the HVM ones. Named in full: the policy
   * type's enum has this one's simple name.
   */
  public DomainType policyType() {
    return this == PV ? DomainType.PV : DomainType.HVM;
  }

  /** Returns whether this is a fully virtualised guest (HVM, not PVH): only HVM may turn PAE off. */
  public boolean isHvm() {
    return this == HVM;
  }
}
