package dev.xenlevelling.xl.level;

import java.util.Locale;
import java.util.Optional;

/**
 * A CPU vendor as Xen derives {@code x86_vendor} from the leaf 0 vendor string. A guest cannot be
 * levelled (nor, since Xen 4.22, migrated) across vendors.
 */
public enum Vendor {
  /** {@code GenuineIntel}. */
  INTEL("GenuineIntel"),
  /** {@code AuthenticAMD}. */
  AMD("AuthenticAMD"),
  /** {@code HygonGenuine}: Zen 1 under licence, near-identical to AMD, still another vendor. */
  HYGON("HygonGenuine"),
  /** {@code CentaurHauls}. */
  CENTAUR("CentaurHauls"),
  /** {@code "  Shanghai  "} (Zhaoxin). */
  SHANGHAI("  Shanghai  ");

  private final String idString;

  Vendor(String idString) {
    this.idString = idString;
  }

  /** Returns the 12-character vendor string of CPUID leaf 0 (ebx, edx, ecx). */
  public String idString() {
    return idString;
  }

  /** Returns the lower-case name used in policy files and messages ({@code intel}, {@code amd}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the vendor whose leaf 0 string is {@code id}, if it is one Xen knows. */
  public static Optional<Vendor> ofIdString(String id) {
    for (Vendor v : values()) {
      if (v.idString.equals(id)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns this enum's constant for libxc's vendor {@code v} (the same CPUID leaf 0 string),
   * empty for its {@code UNKNOWN}. Levelling keeps its own enum: its declaration order is the
   * order per-vendor policies and messages list vendors in, and it has no UNKNOWN.
   */
  public static Optional<Vendor> of(dev.xenlevelling.xc.policy.Vendor v) {
    return ofIdString(v.signature());
  }

  /** Returns the vendor whose {@link #key()} is {@code key}, if there is one. */
  public static Optional<Vendor> ofKey(String key) {
    for (Vendor v : values()) {
      if (v.key().equals(key)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
