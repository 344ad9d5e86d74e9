package dev.xenlevelling.xl.level;

import java.util.Locale;

/** A guest type with its own system policies in Xen: PV and HVM (pv_def/pv_max, hvm_def/hvm_max). */
public enum GuestType {
  /** Paravirtualised guests. */
  PV,
  /** HVM (and PVH) guests. */
  HVM;

  /** Returns the lower-case name used in policy files and messages ({@code pv}, {@code hvm}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
