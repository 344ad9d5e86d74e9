package dev.xenlevelling.xc.policy;

import com.google.common.collect.ImmutableSet;
import java.util.Optional;

/**
 * One feature of cpufeatureset.h: its name, where it lives in the featureset and its attributes.
 *
 * @param name the latest Xen's name (lower case, {@code -} for {@code _}: {@code sse4-1})
 * @param word the featureset word
 * @param bit the bit in that word, 0 to 31
 * @param attributes the attribute markers (empty: known to Xen, never offered to guests)
 * @param name417 the name Xen 4.17's xen-cpuid printed for the bit, if it named it
 */
public record Feature(
    String name, int word, int bit, ImmutableSet<Attribute> attributes, Optional<String> name417) {

  /** Returns the feature number, {@code word * 32 + bit}. */
  public int index() {
    return word * Featureset.BITS_PER_WORD + bit;
  }

  /** Returns whether the feature carries attribute {@code a}. */
  public boolean has(Attribute a) {
    return attributes.contains(a);
  }

  /** Returns the attribute markers as cpufeatureset.h writes them ({@code !A}, {@code S|}). */
  public String markers() {
    StringBuilder sb = new StringBuilder();
    for (Attribute a : attributes) {
      sb.append(a.marker());
    }
    return sb.toString();
  }
}
