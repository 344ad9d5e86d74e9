package dev.xenlevelling.xl.cpuid;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.policy.Register;

/**
 * One name that libxl's {@code cpuid="host,NAME=VALUE"} accepts: the bits it sets, in a CPUID
 * register or in an MSR, as a row of {@code libxl-cpuid-names.csv}.
 *
 * @param name the name exactly as written in xl.cfg (case-sensitive: {@code sse4_1}, {@code lfence+})
 * @param kind how a value is written into the bits
 * @param leaf the CPUID leaf, or the MSR index for {@link Kind#MSR}
 * @param subleaf the CPUID subleaf, or {@link CpuidPolicyList#NO_SUBLEAF}
 * @param register the register; for an MSR, EAX is the low half and EDX the high half
 * @param firstBit the lowest bit within the register (or MSR half)
 * @param length the number of bits (1 to 32)
 * @param inXen417 whether Debian's Xen 4.17.7 libxl accepts the name (the oracle's answer)
 * @param libxlSince per stable line ({@code 4.17}, ...), the first release whose libxl accepts
 *     the name; a line it lacks never does (the {@code libxl_since} column)
 */
public record CpuidName(
    String name, Kind kind, int leaf, int subleaf, Register register, int firstBit, int length,
    boolean inXen417, ImmutableMap<String, Integer> libxlSince) {

  /** How a name's value is stored. */
  public enum Kind {
    /** A plain field of {@code length} bits: the low bits of the number, MSB first. */
    FIELD,
    /** The family field: base family in 11:8 plus extended family in 27:20 (libxl's quirk). */
    FAMILY,
    /** The model field: low nibble in 7:4, high nibble in 19:16. */
    MODEL,
    /** One bit of MSR_ARCH_CAPS: a single character value only, 64-character policy. */
    MSR
  }

  /** Validates the row. */
  public CpuidName {
    checkArgument(!name.isEmpty(), "empty name");
    checkArgument(length >= 1 && length <= 32, "length (%s) must be 1 to 32", length);
    checkArgument(firstBit >= 0 && firstBit + length <= 32,
        "bits %s+%s of %s do not fit in 32", firstBit, length, name);
  }

  /**
   * Returns whether libxl of {@code release} accepts the name: every name for the latest Xen;
   * none for a release older than the table knows (4.17.0).
   */
  public boolean acceptedBy(XenRelease release) {
    if (release.latest()) {
      return true;
    }
    Integer since = libxlSince.get(release.lineKey());
    return since != null && since <= release.patch();
  }

  /** Returns the bit within the 64-bit MSR ({@code firstBit}, plus 32 for the high half). */
  public int msrBit() {
    checkArgument(kind == Kind.MSR, "%s is not an MSR name", name);
    return firstBit + (register == Register.EDX ? 32 : 0);
  }
}
