package dev.xenlevelling.xl.domain;

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
}
