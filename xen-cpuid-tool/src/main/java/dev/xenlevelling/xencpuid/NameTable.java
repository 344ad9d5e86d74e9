package dev.xenlevelling.xencpuid;

import static com.google.common.base.Preconditions.checkArgument;

import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;

/**
 * The names xen-cpuid prints for featureset bits, one per bit (word * 32 + bit); a bit without a
 * name prints as {@code <bit>}.
 *
 * <p>The product uses {@link #latest()}: the latest Xen's {@code INIT_FEATURE_VAL_TO_NAME}, which
 * also names the 18 "common 1d" features again at the same bit of word 2 (e1d), where AMD
 * duplicates them. Tests build other tables (Xen 4.17.7's hand-written one) with {@link #of}.
 */
final class NameTable {
  /** Xen's {@code CPUID_COMMON_1D_FEATURES}: the leaf 1 edx bits AMD repeats in 0x80000001 edx. */
  static final int COMMON_1D_FEATURES = 0x0183f3ff;

  private final String[] names;

  private NameTable(String[] names) {
    this.names = names;
  }

  /** Returns the latest Xen's names, from {@link FeatureTable#latest()}. */
  static NameTable latest() {
    return Latest.TABLE;
  }

  private static final class Latest {
    static final NameTable TABLE = fromFeatureTable(FeatureTable.latest());
  }

  static NameTable fromFeatureTable(FeatureTable table) {
    String[] names = new String[table.nrWords() * Featureset.BITS_PER_WORD];
    for (Feature f : table.features()) {
      names[f.index()] = f.name();
    }
    // As gen-cpuid.py's INIT_FEATURE_VAL_TO_NAME: the common 1d names again in e1d.
    for (int bit = 0; bit < Featureset.BITS_PER_WORD; bit++) {
      int e1d = 2 * Featureset.BITS_PER_WORD + bit;
      if ((COMMON_1D_FEATURES & (1 << bit)) != 0 && names[e1d] == null) {
        names[e1d] = names[bit];
      }
    }
    return new NameTable(names);
  }

  /** Returns the table with these names (null: unnamed), indexed by word * 32 + bit. */
  static NameTable of(String[] names) {
    checkArgument(names.length % Featureset.BITS_PER_WORD == 0,
        "names.length (%s) must be a multiple of 32", names.length);
    return new NameTable(names.clone());
  }

  /** Returns the number of words the table names bits of. */
  int nrWords() {
    return names.length / Featureset.BITS_PER_WORD;
  }

  /** Returns whether bit {@code bit} of word {@code word} has a name. */
  boolean hasName(int word, int bit) {
    int i = word * Featureset.BITS_PER_WORD + bit;
    return i < names.length && names[i] != null;
  }

  /** Returns the name xen-cpuid prints for the bit: its name, or {@code <bit>}. */
  String display(int word, int bit) {
    return hasName(word, bit) ? names[word * Featureset.BITS_PER_WORD + bit] : "<" + bit + ">";
  }

  /** Appends, for each bit set in {@code value}, a blank and its {@link #display} name (dump_leaf). */
  void appendWord(StringBuilder sb, int word, int value) {
    for (int bit = 0; bit < Featureset.BITS_PER_WORD; bit++) {
      if ((value & (1 << bit)) != 0) {
        sb.append(' ');
        if (hasName(word, bit)) {
          sb.append(names[word * Featureset.BITS_PER_WORD + bit]);
        } else {
          sb.append('<').append(bit).append('>');
        }
      }
    }
  }
}
