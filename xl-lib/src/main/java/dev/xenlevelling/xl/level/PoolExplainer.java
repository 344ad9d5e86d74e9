package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.ArrayList;
import java.util.List;

/**
 * The explanation of a levelled pool ({@link PoolLeveller#explain}): per guest type, which hosts
 * removed which feature from the boot set and the ceiling (directly, or through a prerequisite
 * they lack), which host lowered which limit, and what the pool would gain without each host.
 */
final class PoolExplainer {
  private final PoolLeveller leveller;
  private final FeatureTable table;
  /** For each deep (prerequisite) feature in ascending order: its number and its dependents. */
  private final int[] deepFeatures;
  private final Featureset[] deepDependents;

  PoolExplainer(PoolLeveller leveller) {
    this.leveller = leveller;
    this.table = leveller.table();
    this.deepFeatures = table.deepFeatures().features().toArray();
    this.deepDependents = new Featureset[deepFeatures.length];
    for (int i = 0; i < deepFeatures.length; i++) {
      deepDependents[i] = table.deepDependents(deepFeatures[i]);
    }
  }

  /** Returns why {@code lt} lacks each feature some host has, and what each host costs. */
  TypeExplanation explainType(LevelledType lt, List<HostCpu> hosts) {
    DomainType type = lt.type();
    List<GuestCpu> guests = new ArrayList<>(hosts.size());
    List<Featureset> defs = new ArrayList<>();
    List<Featureset> maxes = new ArrayList<>();
    for (HostCpu h : hosts) {
      GuestCpu g = h.guest(type).orElseThrow(AssertionError::new);
      guests.add(g);
      defs.add(g.defaultFeatures());
      maxes.add(g.maxFeatures());
    }
    ImmutableList<LostFeature> bootLost =
        lost(Featureset.orAll(defs), lt.boot(), hosts, guests, true);
    ImmutableList<LostFeature> ceilingLost =
        lost(Featureset.orAll(maxes), lt.ceiling(), hosts, guests, false);
    return new TypeExplanation(type, bootLost, ceilingLost, limitCauses(hosts, guests),
        costs(lt, hosts, guests));
  }

  private static final ImmutableList<String> LIMIT_NAMES = ImmutableList.of(
      "max_leaf", "leaf7_max_subleaf", "extd_max_leaf", "maxphysaddr", "xsave_max_size");

  private static java.util.OptionalLong limit(CpuLimits l, int i) {
    return switch (i) {
      case 0 -> l.maxLeaf();
      case 1 -> asLong(l.leaf7MaxSubleaf());
      case 2 -> l.extdMaxLeaf();
      case 3 -> asLong(l.maxPhysAddr());
      case 4 -> asLong(l.xsaveMaxSize());
      default -> throw new AssertionError(i);
    };
  }

  private static java.util.OptionalLong asLong(java.util.OptionalInt v) {
    return v.isPresent() ? java.util.OptionalLong.of(v.getAsInt()) : java.util.OptionalLong.empty();
  }

  /** Returns each limit some host lowered below another's, with the hosts at the minimum. */
  private static ImmutableList<LimitCause> limitCauses(List<HostCpu> hosts, List<GuestCpu> guests) {
    ImmutableList.Builder<LimitCause> out = ImmutableList.builder();
    for (int i = 0; i < LIMIT_NAMES.size(); i++) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (GuestCpu g : guests) {
        java.util.OptionalLong v = limit(g.limits(), i);
        if (v.isPresent()) {
          min = Math.min(min, v.getAsLong());
          max = Math.max(max, v.getAsLong());
        }
      }
      if (min >= max) {
        continue;
      }
      ImmutableList.Builder<String> by = ImmutableList.builder();
      for (int h = 0; h < guests.size(); h++) {
        java.util.OptionalLong v = limit(guests.get(h).limits(), i);
        if (v.isPresent() && v.getAsLong() == min) {
          by.add(hosts.get(h).name());
        }
      }
      out.add(new LimitCause(LIMIT_NAMES.get(i), min, max, by.build()));
    }
    return out.build();
  }

  /** Returns whether host {@code g} keeps {@code feature} out of the boot set or the ceiling. */
  private boolean lacks(GuestCpu g, int feature, boolean boot) {
    if (!g.maxFeatures().contains(feature)) {
      return true;
    }
    return boot && !leveller.isSimpleOr(feature) && !g.defaultFeatures().contains(feature);
  }

  private ImmutableList<LostFeature> lost(
      Featureset union, Featureset result, List<HostCpu> hosts, List<GuestCpu> guests,
      boolean boot) {
    ImmutableList.Builder<LostFeature> out = ImmutableList.builder();
    Featureset lost = union.andNot(result);
    lost.features().forEach(f -> {
      String name = FeatureNames.name(table, f);
      if (table.byIndex(f).isEmpty()) {
        List<String> having = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
          Featureset s = boot ? guests.get(i).defaultFeatures() : guests.get(i).maxFeatures();
          if (s.contains(f)) {
            having.add(hosts.get(i).name());
          }
        }
        out.add(new LostFeature(f, name, true, ImmutableList.copyOf(having), ImmutableList.of()));
        return;
      }
      ImmutableList<String> direct = lackedBy(f, hosts, guests, boot);
      ImmutableList.Builder<Prerequisite> through = ImmutableList.builder();
      for (int i = 0; i < deepFeatures.length; i++) {
        int p = deepFeatures[i];
        if (!result.contains(p) && deepDependents[i].contains(f)) {
          ImmutableList<String> by = lackedBy(p, hosts, guests, boot);
          if (!by.isEmpty()) {
            through.add(new Prerequisite(FeatureNames.name(table, p), by));
          }
        }
      }
      out.add(new LostFeature(f, name, false, direct, through.build()));
    });
    return out.build();
  }

  /**
   * Returns the hosts that lack {@code feature} directly: they lack it but have every one of its
   * prerequisites. A host that also lacks a prerequisite is named through that prerequisite
   * instead, so a host without avx2 is blamed for avx2, not again for each AVX-512 feature.
   */
  private ImmutableList<String> lackedBy(
      int feature, List<HostCpu> hosts, List<GuestCpu> guests, boolean boot) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    for (int i = 0; i < hosts.size(); i++) {
      GuestCpu g = guests.get(i);
      if (lacks(g, feature, boot) && !lacksPrerequisite(g, feature, boot)) {
        b.add(hosts.get(i).name());
      }
    }
    return b.build();
  }

  private boolean lacksPrerequisite(GuestCpu g, int feature, boolean boot) {
    for (int i = 0; i < deepFeatures.length; i++) {
      if (deepDependents[i].contains(feature) && lacks(g, deepFeatures[i], boot)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns what the pool would gain without each host, with prefix and suffix accumulators so a
   * pool of n hosts costs O(n), not n levellings.
   */
  private ImmutableList<HostCost> costs(LevelledType lt, List<HostCpu> hosts, List<GuestCpu> guests) {
    int n = guests.size();
    ImmutableList.Builder<HostCost> out = ImmutableList.builder();
    if (n < 2) {
      for (HostCpu h : hosts) {
        out.add(new HostCost(h.name(), ImmutableList.of(), ImmutableList.of()));
      }
      return out.build();
    }
    int w = table.nrWords();
    int[][] defs = new int[n][];
    int[][] maxes = new int[n][];
    for (int i = 0; i < n; i++) {
      defs[i] = guests.get(i).defaultFeatures().withLength(w).toArray();
      maxes[i] = guests.get(i).maxFeatures().withLength(w).toArray();
    }
    Accumulator defAnd = new Accumulator(defs, w, true);
    Accumulator defOr = new Accumulator(defs, w, false);
    Accumulator maxAnd = new Accumulator(maxes, w, true);
    for (int i = 0; i < n; i++) {
      Featureset ceiling = leveller.ceiling(Featureset.of(maxAnd.allBut(i)));
      Featureset boot = leveller.boot(Featureset.of(defAnd.allBut(i)), Featureset.of(defOr.allBut(i)), ceiling);
      out.add(new HostCost(hosts.get(i).name(),
          table.names(boot.andNot(lt.boot())), table.names(ceiling.andNot(lt.ceiling()))));
    }
    return out.build();
  }

  /** Prefix and suffix ANDs (or ORs) of n word arrays, for "all but one" in O(words). */
  private static final class Accumulator {
    private final int[][] prefix;
    private final int[][] suffix;
    private final boolean and;

    Accumulator(int[][] sets, int w, boolean and) {
      int n = sets.length;
      this.and = and;
      prefix = new int[n + 1][w];
      suffix = new int[n + 1][w];
      if (and) {
        java.util.Arrays.fill(prefix[0], -1);
        java.util.Arrays.fill(suffix[n], -1);
      }
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < w; k++) {
          prefix[i + 1][k] = and ? prefix[i][k] & sets[i][k] : prefix[i][k] | sets[i][k];
        }
      }
      for (int i = n - 1; i >= 0; i--) {
        for (int k = 0; k < w; k++) {
          suffix[i][k] = and ? suffix[i + 1][k] & sets[i][k] : suffix[i + 1][k] | sets[i][k];
        }
      }
    }

    int[] allBut(int i) {
      int[] r = new int[prefix[0].length];
      for (int k = 0; k < r.length; k++) {
        r[k] = and ? prefix[i][k] & suffix[i + 1][k] : prefix[i][k] | suffix[i + 1][k];
      }
      return r;
    }
  }
}
