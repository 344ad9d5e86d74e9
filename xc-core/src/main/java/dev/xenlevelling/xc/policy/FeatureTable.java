package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Xen's feature table: every feature of cpufeatureset.h, the featureset words, the static masks
 * and the deep dependencies, all computed at load time from the resource files as gen-cpuid.py
 * computes them at build time.
 *
 * <p>Use {@link #latest()} for the latest Xen's table (loaded once). Instances are immutable and
 * safe to share between threads.
 *
 * <p>The static masks and deep dependencies of the built-in table are worked out when first asked
 * for, not at load: decoding a featureset (xen-cpuid's interpret mode) needs only names and words,
 * and every command pays the load at start-up. The outcome is the same; only when it is computed
 * differs (a table loaded from other files, as tests do, is checked whole at load).
 */
public final class FeatureTable {
  private final ImmutableList<FeatureWord> words;
  private final ImmutableList<Feature> features;
  /** Never modified after construction (a plain HashMap: cheaper to build at start-up). */
  private final Map<String, Feature> byName;
  private final Feature[] byIndex;
  /** The derived data once worked out; until then null, and {@link #deriver} works it out. */
  private volatile Derived derived;
  /** Guarded by this; null once {@link #derived} is set. */
  private Deriver deriver;

  /** The static masks and deep dependencies, as gen-cpuid.py derives them from the table. */
  static final class Derived {
    final EnumMap<StaticMask, Featureset> masks;
    final int[] deepFeatureList;
    final int[][] deepDeps;
    final Featureset deepFeatures;
    final int[] knownWords;

    Derived(int nrWords, EnumMap<StaticMask, Featureset> masks, int[] deepFeatureList,
        int[][] deepDeps) {
      this.masks = masks;
      this.deepFeatureList = deepFeatureList;
      this.deepDeps = deepDeps;
      this.deepFeatures = Featureset.ofFeatures(nrWords, deepFeatureList);
      this.knownWords = masks.get(StaticMask.KNOWN).toArray();
    }
  }

  /** Works out a table's {@link Derived} data when it is first needed. */
  interface Deriver {
    /** Returns {@code table}'s derived data. */
    Derived derive(FeatureTable table);
  }

  /** A table whose derived data is known already. */
  FeatureTable(ImmutableList<FeatureWord> words, ImmutableList<Feature> features,
      Derived derived) {
    this(words, features);
    this.derived = derived;
  }

  /** A table whose derived data {@code deriver} works out when it is first needed. */
  FeatureTable(ImmutableList<FeatureWord> words, ImmutableList<Feature> features,
      Deriver deriver) {
    this(words, features);
    this.deriver = deriver;
  }

  private FeatureTable(ImmutableList<FeatureWord> words, ImmutableList<Feature> features) {
    this.words = words;
    this.features = features;
    Map<String, Feature> names = new HashMap<>(features.size() * 2);
    this.byIndex = new Feature[words.size() * Featureset.BITS_PER_WORD];
    for (Feature f : features) {
      Feature old = names.put(f.name(), f);
      checkArgument(old == null, "duplicate feature name %s", f.name());
      byIndex[f.index()] = f;
    }
    this.byName = names;
  }

  private Derived derived() {
    Derived d = derived;
    if (d == null) {
      synchronized (this) {
        d = derived;
        if (d == null) {
          d = deriver.derive(this);
          derived = d;
          deriver = null;
        }
      }
    }
    return d;
  }

  /** Returns the latest Xen's feature table, loaded once from this module's CSV files. */
  public static FeatureTable latest() {
    return Latest.TABLE;
  }

  private static final class Latest {
    static final FeatureTable TABLE = FeatureTableLoader.loadBuiltIn();
  }

  /** Returns the number of featureset words ({@code FEATURESET_NR_ENTRIES}, Xen's FSCAPINTS). */
  public int nrWords() {
    return words.size();
  }

  /** Returns the featureset words in order. */
  public ImmutableList<FeatureWord> words() {
    return words;
  }

  /** Returns word {@code index}. */
  public FeatureWord word(int index) {
    return words.get(index);
  }

  /** Returns every feature, in featureset order. */
  public ImmutableList<Feature> features() {
    return features;
  }

  /** Returns the feature named {@code name} (the latest Xen's spelling), if there is one. */
  public Optional<Feature> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Returns the feature at number {@code index} (word * 32 + bit), if one is defined there. */
  public Optional<Feature> byIndex(int index) {
    checkArgument(index >= 0, "feature index (%s) must be >= 0", index);
    return index < byIndex.length ? Optional.ofNullable(byIndex[index]) : Optional.empty();
  }

  /** Returns the static mask {@code mask}, of {@link #nrWords()} words. */
  public Featureset mask(StaticMask mask) {
    return derived().masks.get(mask);
  }

  /** Returns the features that are a prerequisite of some other feature (INIT_DEEP_FEATURES). */
  public Featureset deepFeatures() {
    return derived().deepFeatures;
  }

  /**
   * Returns every feature that depends on {@code feature}, directly or not (its INIT_DEEP_DEPS
   * entry); empty for a feature nothing depends on.
   */
  public Featureset deepDependents(int feature) {
    checkArgument(feature >= 0, "feature index (%s) must be >= 0", feature);
    Derived d = derived();
    for (int i = 0; i < d.deepFeatureList.length; i++) {
      if (d.deepFeatureList[i] == feature) {
        return Featureset.of(d.deepDeps[i]);
      }
    }
    return Featureset.zero(nrWords());
  }

  /**
   * Returns {@code fs} as Xen's {@code sanitise_featureset} leaves it: only known features, and
   * no feature whose prerequisite (direct or not) is absent.
   *
   * <p>The deep dependency sets are transitive closures computed at load time, so this costs one
   * pass over the (32) prerequisite features, however long a dependency chain is. The result has
   * {@link #nrWords()} words: bits past the table are unknown and so dropped, as Xen's
   * {@code fs &= known} drops them.
   */
  public Featureset sanitise(Featureset fs) {
    int[] knownWords = derived().knownWords;
    int n = knownWords.length;
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = fs.word(i) & knownWords[i];
    }
    sanitiseInPlace(r);
    return Featureset.wrap(r);
  }

  /** Applies {@link #sanitise}'s dependency rule to {@code words} (already masked to known). */
  void sanitiseInPlace(int[] words) {
    Derived d = derived();
    int[] deepFeatureList = d.deepFeatureList;
    int[][] deepDeps = d.deepDeps;
    for (int i = 0; i < deepFeatureList.length; i++) {
      int f = deepFeatureList[i];
      if ((words[f >>> 5] & (1 << (f & 31))) == 0) {
        int[] deps = deepDeps[i];
        for (int w = 0; w < words.length; w++) {
          words[w] &= ~deps[w];
        }
      }
    }
  }

  /** Returns the names of the known features set in {@code fs}, in featureset order. */
  public ImmutableList<String> names(Featureset fs) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    fs.features().forEach(i -> {
      if (i < byIndex.length && byIndex[i] != null) {
        b.add(byIndex[i].name());
      }
    });
    return b.build();
  }

  /** Returns the featureset of {@link #nrWords()} words with exactly the named features set. */
  public Featureset featuresetOf(Iterable<String> names) {
    int[] w = new int[nrWords()];
    for (String name : names) {
      Feature f = byName(name).orElseThrow(
          () -> new IllegalArgumentException("unknown feature name '" + name + "'"));
      w[f.word()] |= 1 << f.bit();
    }
    return Featureset.wrap(w);
  }
}
