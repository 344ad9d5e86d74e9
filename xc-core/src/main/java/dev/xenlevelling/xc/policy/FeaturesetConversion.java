package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;

/**
 * The conversion between a {@link CpuPolicy} and a {@link Featureset}, as lib/x86/cpuid.c's
 * {@code x86_cpu_policy_to_featureset} and {@code x86_cpu_featureset_to_policy}: each featureset
 * word is the register (or ARCH_CAPS half) its {@link FeatureWord} names.
 */
final class FeaturesetConversion {
  private FeaturesetConversion() {}

  /**
   * Returns {@code p}'s featureset of {@code table}'s words; see
   * {@link CpuPolicy#featureset(FeatureTable)}.
   */
  static Featureset toFeatureset(CpuPolicy p, FeatureTable table) {
    ImmutableList<FeatureWord> words = table.words();
    int[] fs = new int[words.size()];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = wordValue(p, words.get(i));
    }
    return Featureset.wrap(fs);
  }

  private static int wordValue(CpuPolicy p, FeatureWord w) {
    if (w.msr()) {
      checkArchCaps(w);
      long archCaps = p.archCaps();
      return w.register() == Register.EAX ? (int) archCaps : (int) (archCaps >>> 32);
    }
    return p.reg(w.leaf(), w.subleaf().orElse(CpuidLeaf.NO_SUBLEAF), w.register());
  }

  /**
   * Returns {@code p} with {@code table}'s featureset words written from {@code fs}; see
   * {@link CpuPolicy#withFeatureset(Featureset, FeatureTable)}.
   */
  static CpuPolicy withFeatureset(CpuPolicy p, Featureset fs, FeatureTable table) {
    CpuPolicy.Builder b = p.toBuilder();
    for (FeatureWord w : table.words()) {
      int v = fs.word(w.index());
      if (w.msr()) {
        checkArchCaps(w);
        b.archCapsHalf(w.register() != Register.EAX, v);
      } else {
        b.reg(w.leaf(), w.subleaf().orElse(CpuidLeaf.NO_SUBLEAF), w.register(), v);
      }
    }
    return b.build();
  }

  /** Checks that an MSR featureset word is a half of ARCH_CAPS, the only MSR words Xen has. */
  private static void checkArchCaps(FeatureWord w) {
    checkArgument(w.leaf() == MsrEntry.ARCH_CAPS,
        "featureset word %s names MSR 0x%s, not ARCH_CAPS",
        w.index(), Integer.toHexString(w.leaf()));
  }
}
