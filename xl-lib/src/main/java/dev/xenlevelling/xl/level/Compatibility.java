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
        names(table, features.andNot(g.get().maxFeatures())));
  }

  /** Returns the names of every bit set in {@code fs}, unknown bits included. */
  static ImmutableList<String> names(FeatureTable table, Featureset fs) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    fs.features().forEach(f -> b.add(FeatureNames.name(table, f)));
    return b.build();
  }
}
