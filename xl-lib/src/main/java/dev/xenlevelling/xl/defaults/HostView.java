package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.Optional;

/**
 * What the merge, explain and stale checks need of the current host, read through libxc.
 *
 * @param name the host's name (as {@code xen-cpuid --json} names it)
 * @param fingerprint the host's fingerprint ({@code HostFingerprint})
 * @param vendor the CPU vendor, if Xen knows it
 * @param raw the raw featureset (what the CPU reports)
 * @param host the host featureset (what Xen uses)
 * @param defaults the default featureset per guest type built in
 * @param max the max featureset per guest type built in
 * @param bootCleared the features Xen's command line clears ({@code cpuid=no-...})
 */
record HostView(
    String name,
    String fingerprint,
    Optional<Vendor> vendor,
    Featureset raw,
    Featureset host,
    ImmutableSortedMap<DomainType, Featureset> defaults,
    ImmutableSortedMap<DomainType, Featureset> max,
    ImmutableSet<String> bootCleared) {

  /** Returns the max featureset of {@code type}, empty when the type is compiled out. */
  public Featureset maxFor(DomainType type) {
    return max.getOrDefault(type, Featureset.empty());
  }

  /** Returns the default featureset of {@code type}, empty when the type is compiled out. */
  public Featureset defaultFor(DomainType type) {
    return defaults.getOrDefault(type, Featureset.empty());
  }
}
