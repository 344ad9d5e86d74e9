package dev.xenlevelling.xl.policyfile;

import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.Optional;

/**
 * What one pool member offered each guest type when the policy was computed: its default and max
 * featuresets (Xen's {@code pv_def}/{@code hvm_def} and {@code pv_max}/{@code hvm_max}), so xl can
 * say which host lacks a feature the policy removed, and which features a host lost since.
 *
 * @param defaults the default featureset per guest type (only the types recorded)
 * @param max the max featureset per guest type (only the types recorded)
 */
public record HostFeaturesets(
    ImmutableSortedMap<DomainType, Featureset> defaults,
    ImmutableSortedMap<DomainType, Featureset> max) {

  /** Nothing recorded. */
  public static final HostFeaturesets NONE =
      new HostFeaturesets(ImmutableSortedMap.of(), ImmutableSortedMap.of());

  /** Returns the default featureset recorded for {@code type}, if any. */
  public Optional<Featureset> defaultFor(DomainType type) {
    return Optional.ofNullable(defaults.get(type));
  }

  /** Returns the max featureset recorded for {@code type}, if any. */
  public Optional<Featureset> maxFor(DomainType type) {
    return Optional.ofNullable(max.get(type));
  }

  /** Returns whether nothing is recorded. */
  public boolean isEmpty() {
    return defaults.isEmpty() && max.isEmpty();
  }
}
