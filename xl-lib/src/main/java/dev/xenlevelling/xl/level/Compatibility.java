package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.Optional;

/**
 * The compatibility check of one featureset against one host: is it within the host's max
 * featureset for the guest type?
 *
 * <p>Deliberately stricter than Xen: {@code x86_cpu_policies_are_compatible} does not audit
 * feature bits (a TODO in its source) and {@code set_cpu_policy} clamps them silently, so a guest
 * migrated to a host lacking a feature loses it without a word. This check names every one, as
 * XAPI's pool-join and migration checks do.
 *
 * <p>Two bits are never missing: {@code fdp-excp-only} and {@code no-fpu-sel} describe the host's
 * x87 behaviour, and Xen always gives a guest the host's value of them
 * ({@code recalculate_cpuid_policy} folds the host's bits in), so a domain arriving with them from
 * another host just takes the new host's.
 */
public final class Compatibility {
  private Compatibility() {}

  /** Returns whether {@code features} of a {@code type} guest fit {@code host}, naming what does not. */
  public static CompatibilityResult check(
      FeatureTable table, Featureset features, HostCpu host, GuestType type) {
    Optional<GuestCpu> g = host.guest(type);
    if (g.isEmpty()) {
      return new CompatibilityResult(host.name(), type, false, ImmutableList.of());
    }
    return new CompatibilityResult(host.name(), type, true,
        names(table, features.andNot(g.get().maxFeatures()).andNot(hostMirrored(table))));
  }

  /** Returns the features Xen always takes from the host, whatever the guest's policy says. */
  static Featureset hostMirrored(FeatureTable table) {
    Featureset fs = Featureset.empty();
    for (String n : new String[] {"fdp-excp-only", "no-fpu-sel"}) {
      fs = table.byName(n).map(f -> Featureset.ofFeatures(table.nrWords(), f.index()))
          .map(fs::or).orElse(fs);
    }
    return fs;
  }

  /** Returns the names of every bit set in {@code fs}, unknown bits included. */
  static ImmutableList<String> names(FeatureTable table, Featureset fs) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    fs.features().forEach(f -> b.add(FeatureNames.name(table, f)));
    return b.build();
  }
}
