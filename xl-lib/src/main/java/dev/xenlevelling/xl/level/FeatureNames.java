package dev.xenlevelling.xl.level;

import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.Optional;

/** Names of feature numbers for messages, including bits the table does not know. */
final class FeatureNames {
  private FeatureNames() {}

  /** Returns the feature's name, or {@code bit N (word W bit B)} for a bit the table lacks. */
  static String name(FeatureTable table, int index) {
    Optional<Feature> f = table.byIndex(index);
    if (f.isPresent()) {
      return f.get().name();
    }
    return "bit " + index + " (word " + index / Featureset.BITS_PER_WORD
        + " bit " + index % Featureset.BITS_PER_WORD + ")";
  }
}
