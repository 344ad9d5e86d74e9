package dev.xenlevelling.xc.policy;

import java.nio.charset.StandardCharsets;

/**
 * A CPU vendor as Xen's {@code x86_vendor}, derived from the leaf 0 vendor registers by
 * {@code x86_cpuid_lookup_vendor}: all three registers must match one of the known signatures,
 * otherwise the vendor is {@link #UNKNOWN}.
 */
public enum Vendor {
  /** "GenuineIntel". */
  INTEL("GenuineIntel", "Intel"),
  /** "AuthenticAMD". */
  AMD("AuthenticAMD", "AMD"),
  /** "CentaurHauls". */
  CENTAUR("CentaurHauls", "Centaur"),
  /** "&nbsp;&nbsp;Shanghai&nbsp;&nbsp;" (two blanks either side). */
  SHANGHAI("  Shanghai  ", "Shanghai"),
  /** "HygonGenuine". */
  HYGON("HygonGenuine", "Hygon"),
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

  /** Returns the 12-character signature CPUID leaf 0 spells ("" for {@link #UNKNOWN}). */
  public String signature() {
    return signature;
  }

  /** Returns the name {@code x86_cpuid_vendor_to_str} gives ("Intel", "AMD", ..., "Unknown"). */
  public String displayName() {
    return displayName;
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
}
