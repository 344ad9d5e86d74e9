package dev.xenlevelling.xc.policy;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data derived from the feature table, as gen-cpuid.py's {@code crunch_numbers}: the static
 * masks (known, special, PV/HVM default and max) from each feature's attributes, and each
 * feature's deep dependencies, the transitive closure of the dependency file, refusing a cycle.
 * The built-in table derives them when first asked, not at start-up (see {@link FeatureTable}).
 */
final class FeatureTableDerivation {
  private FeatureTableDerivation() {}

  /**
   * Returns the static masks and the deep dependencies of {@code features}, whose direct
   * dependencies {@code deps} maps from each feature index to the indices of the features that
   * depend on it (in file order).
   *
   * @throws FeatureTableException naming the dependency file if the dependencies have a cycle
   */
  static FeatureTable.Derived derive(int nrWords, List<Feature> features,
      Map<Integer, List<Integer>> deps) throws FeatureTableException {
    EnumMap<StaticMask, Featureset> masks = masks(nrWords, features);
    int[] keys = new int[deps.size()];
    int k = 0;
    for (Integer key : deps.keySet()) {
      keys[k++] = key;
    }
    Arrays.sort(keys);
    int[][] deep = new int[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      deep[i] = flatten(keys[i], deps, nrWords, features);
    }
    return new FeatureTable.Derived(nrWords, masks, keys, deep);
  }

  /** Walks breadth-first from {@code key}, as gen-cpuid's flattening; reaching key is a cycle. */
  private static int[] flatten(int key, Map<Integer, List<Integer>> deps, int nrWords,
      List<Feature> features) throws FeatureTableException {
    int[] closure = new int[nrWords];
    ArrayDeque<Integer> todo = new ArrayDeque<>();
    addAll(todo, deps.get(key));
    while (!todo.isEmpty()) {
      int f = todo.poll();
      if (f == key) {
        throw new FeatureTableException(FeatureTableLoader.DEPS, 0,
            "dependency cycle through " + nameOf(features, key));
      }
      if ((closure[f >>> 5] & (1 << (f & 31))) != 0) {
        continue;
      }
      closure[f >>> 5] |= 1 << (f & 31);
      addAll(todo, deps.get(f));
    }
    return closure;
  }

  /** Appends {@code from} (null: nothing) by hand: ArrayDeque.addAll would spin up a lambda. */
  private static void addAll(ArrayDeque<Integer> todo, List<Integer> from) {
    if (from != null) {
      for (int i = 0; i < from.size(); i++) {
        todo.add(from.get(i));
      }
    }
  }

  private static String nameOf(List<Feature> features, int index) {
    for (Feature f : features) {
      if (f.index() == index) {
        return f.name();
      }
    }
    return Integer.toString(index);
  }

  private static EnumMap<StaticMask, Featureset> masks(int nrWords, List<Feature> features) {
    StaticMask[] all = StaticMask.values();
    int[][] m = new int[all.length][nrWords];
    // Which masks a feature is in depends on its attributes alone, and features share a few
    // attribute sets (one instance each, see readFeatures): work each set's masks out once.
    Map<Set<Attribute>, boolean[]> bySet = new IdentityHashMap<>();
    for (Feature f : features) {
      boolean[] in = bySet.get(f.attributes());
      if (in == null) {
        in = new boolean[all.length];
        for (StaticMask s : all) {
          in[s.ordinal()] = inMask(s, f);
        }
        bySet.put(f.attributes(), in);
      }
      for (int i = 0; i < in.length; i++) {
        if (in[i]) {
          m[i][f.word()] |= 1 << f.bit();
        }
      }
    }
    EnumMap<StaticMask, Featureset> out = new EnumMap<>(StaticMask.class);
    for (StaticMask s : all) {
      out.put(s, Featureset.wrap(m[s.ordinal()]));
    }
    return out;
  }

  /** The mask rules of gen-cpuid.py (crunch_numbers). */
  private static boolean inMask(StaticMask s, Feature f) {
    boolean a = f.has(Attribute.ALL_DEFAULT);
    boolean am = a || f.has(Attribute.ALL_MAX);
    boolean sd = a || f.has(Attribute.HVM_DEFAULT);
    boolean sm = am || sd || f.has(Attribute.HVM_MAX);
    boolean hd = sd || f.has(Attribute.HAP_DEFAULT);
    boolean hm = sm || hd || f.has(Attribute.HAP_MAX);
    switch (s) {
      case KNOWN: return true;
      case SPECIAL: return f.has(Attribute.SPECIAL);
      case SIMPLE_OR: return f.has(Attribute.SIMPLE_OR);
      case PV_DEF: return a;
      case PV_MAX: return am;
      case HVM_SHADOW_DEF: return sd;
      case HVM_SHADOW_MAX: return sm;
      case HVM_HAP_DEF: return hd;
      case HVM_HAP_MAX: return hm;
      default: throw new AssertionError(s);
    }
  }
}
