package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The fit of one guest featureset (and its limits) against one pool host: is it within the
 * host's max featureset for the guest type? A pool-levelling question over {@link HostCpu}; not
 * {@link dev.xenlevelling.xc.policy.Compatibility}, which compares two whole CPU policies as
 * Xen's {@code x86_cpu_policies_are_compatible} does.
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
public final class HostFit {
  private HostFit() {}

  /** Returns whether {@code features} of a {@code type} guest fit {@code host}, naming what does not. */
  public static HostFitResult check(
      FeatureTable table, Featureset features, HostCpu host, DomainType type) {
    return check(table, features, CpuLimits.UNKNOWN, host, type);
  }

  /**
   * Returns whether {@code features} and {@code limits} of a {@code type} guest fit
   * {@code host}, naming every missing feature and every limit above the host's: the limits
   * Xen's {@code x86_cpu_policies_are_compatible} checks (basic max leaf, leaf 7 max subleaf,
   * extended max leaf; xen/lib/x86/policy.c), and maxphysaddr as a note (not audited by Xen,
   * "should be levelled": docs/features/feature-levelling.pandoc). A limit unknown on either side is not compared.
   */
  public static HostFitResult check(FeatureTable table, Featureset features,
      CpuLimits limits, HostCpu host, DomainType type) {
    Optional<GuestCpu> g = host.guest(type);
    if (g.isEmpty()) {
      return new HostFitResult(host.name(), type, false, ImmutableList.of());
    }
    CpuLimits h = g.get().limits();
    ImmutableList.Builder<String> over = ImmutableList.builder();
    above(over, "max_leaf", limits.maxLeaf(), h.maxLeaf(), true);
    above(over, "leaf7_max_subleaf", asLong(limits.leaf7MaxSubleaf()),
        asLong(h.leaf7MaxSubleaf()), false);
    above(over, "extd_max_leaf", limits.extdMaxLeaf(), h.extdMaxLeaf(), true);
    ImmutableList.Builder<String> notes = ImmutableList.builder();
    above(notes, "maxphysaddr", asLong(limits.maxPhysAddr()), asLong(h.maxPhysAddr()), false);
    ImmutableList<String> n = notes.build().stream()
        .map(s -> s + ": not checked by Xen, should be levelled").collect(
            ImmutableList.toImmutableList());
    return new HostFitResult(host.name(), type, true,
        names(table, features.andNot(g.get().maxFeatures()).andNot(hostMirrored(table))),
        over.build(), n);
  }

  private static void above(ImmutableList.Builder<String> b, String name, OptionalLong guest,
      OptionalLong host, boolean hex) {
    if (guest.isPresent() && host.isPresent() && guest.getAsLong() > host.getAsLong()) {
      b.add(name + " " + text(guest.getAsLong(), hex) + " (host " + text(host.getAsLong(), hex)
          + ")");
    }
  }

  private static String text(long v, boolean hex) {
    return hex ? "0x" + Long.toHexString(v) : Long.toString(v);
  }

  private static OptionalLong asLong(OptionalInt v) {
    return v.isPresent() ? OptionalLong.of(v.getAsInt()) : OptionalLong.empty();
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
