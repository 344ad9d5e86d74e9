package dev.xenlevelling.xc.policy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A CPU vendor as Xen's {@code x86_vendor}, derived from the leaf 0 vendor registers by
 * {@code x86_cpuid_lookup_vendor}: all three registers must match one of the known signatures,
 * otherwise the vendor is {@link #UNKNOWN}. A guest cannot be levelled (nor, since Xen 4.22,
 * migrated) across vendors.
 *
 * <p>The declaration order is the order in which xl lists vendors: per-vendor policies
 * ({@code xl cpu-level --per-vendor}) and messages naming several vendors follow it.
 */
public enum Vendor {
  /** "GenuineIntel". */
  INTEL("GenuineIntel", "Intel"),
  /** "AuthenticAMD". */
  AMD("AuthenticAMD", "AMD"),
  /** "HygonGenuine": Zen 1 under licence, near-identical to AMD, still another vendor. */
  HYGON("HygonGenuine", "Hygon"),
  /** "CentaurHauls". */
  CENTAUR("CentaurHauls", "Centaur"),
  /** "&nbsp;&nbsp;Shanghai&nbsp;&nbsp;" (two blanks either side; Zhaoxin). */
  SHANGHAI("  Shanghai  ", "Shanghai"),
  /** Any other signature; its registers read as zero here. */
  UNKNOWN("", "Unknown");

  private final String signature;
  private final String displayName;
  private final int ebx;
  private final int ecx;
  private final int edx;

  Vendor(String signature, String displayName) {
    this.signature = signature;
    this.displayName = displayName;
    if (signature.isEmpty()) {
      ebx = ecx = edx = 0;
    } else {
      // CPUID returns the 12 characters in ebx, edx, ecx order, little-endian within each.
      byte[] b = signature.getBytes(StandardCharsets.US_ASCII);
      ebx = le(b, 0);
      edx = le(b, 4);
      ecx = le(b, 8);
    }
  }

  private static int le(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  /**
   * Returns the 12-character signature CPUID leaf 0 spells in ebx, edx, ecx ("" for
   * {@link #UNKNOWN}).
   */
  public String signature() {
    return signature;
  }

  /** Returns the name {@code x86_cpuid_vendor_to_str} gives ("Intel", "AMD", ..., "Unknown"). */
  public String displayName() {
    return displayName;
  }

  /**
   * Returns the lower-case name used in policy files, file names and messages ({@code intel},
   * {@code amd}).
   */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns leaf 0 ebx for this vendor (0 for {@link #UNKNOWN}). */
  public int ebx() {
    return ebx;
  }

  /** Returns leaf 0 ecx for this vendor (0 for {@link #UNKNOWN}). */
  public int ecx() {
    return ecx;
  }

  /** Returns leaf 0 edx for this vendor (0 for {@link #UNKNOWN}). */
  public int edx() {
    return edx;
  }

  /**
   * Returns the vendor whose signature is exactly these leaf 0 registers, {@link #UNKNOWN} if
   * none, as {@code x86_cpuid_lookup_vendor}.
   */
  public static Vendor lookup(int ebx, int ecx, int edx) {
    for (Vendor v : values()) {
      if (v != UNKNOWN && v.ebx == ebx && v.ecx == ecx && v.edx == edx) {
        return v;
      }
    }
    return UNKNOWN;
  }

  /**
   * Returns the known vendor whose {@link #signature()} is {@code id}; empty for any other
   * string, so never {@link #UNKNOWN} (the leveller refuses vendors Xen does not know).
   */
  public static Optional<Vendor> ofIdString(String id) {
    for (Vendor v : values()) {
      if (v != UNKNOWN && v.signature.equals(id)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the known vendor whose {@link #key()} is {@code key}; empty for any other string,
   * {@code unknown} included, so never {@link #UNKNOWN}.
   */
  public static Optional<Vendor> ofKey(String key) {
    for (Vendor v : values()) {
      if (v != UNKNOWN && v.key().equals(key)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
