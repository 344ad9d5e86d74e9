package dev.xenlevelling.xc.policy;

import java.util.OptionalInt;

/**
 * One word of the featureset: where its 32 bits live in CPUID (a leaf, an optional subleaf and a
 * register) or in an MSR (the low or high half of {@code msr}).
 *
 * @param index the word's index in the featureset (FEATURESET_* in cpufeatureset.h)
 * @param abbr xen-cpuid's short name ({@code 1d}, {@code 7b0}, {@code m10Al}, ...)
 * @param msr whether the word is half of an MSR rather than a CPUID register
 * @param leaf the CPUID leaf, or the MSR index for an MSR word
 * @param subleaf the CPUID subleaf, empty where the leaf has none
 * @param register the register (for an MSR word: EAX is the low half, EDX the high)
 * @param msrName the MSR's name for the label ({@code MSR_ARCH_CAPS}), empty for CPUID words
 */
public record FeatureWord(
    int index, String abbr, boolean msr, int leaf, OptionalInt subleaf, Register register,
    String msrName) {

  /**
   * Returns xen-cpuid's label for the word: {@code CPUID 0x00000001.edx},
   * {@code CPUID 0x00000007:0.ebx} or {@code MSR_ARCH_CAPS.lo}.
   */
  public String label() {
    if (msr) {
      return msrName + (register == Register.EAX ? ".lo" : ".hi");
    }
    // "CPUID 0x%08x%s.%s" by hand: start-up rule 1 (docs/performance.md).
    StringBuilder sb = new StringBuilder(24).append("CPUID 0x");
    String hex = Integer.toHexString(leaf);
    for (int i = hex.length(); i < 8; i++) {
      sb.append('0');
    }
    sb.append(hex);
    if (subleaf.isPresent()) {
      sb.append(':').append(subleaf.getAsInt());
    }
    return sb.append('.').append(register.lowerName()).toString();
  }
}
