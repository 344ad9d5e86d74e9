package dev.xenlevelling.xc.abi;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.CpuPolicy;

/**
 * What {@code set_cpu_policy} did to a request that Xen accepted: the policy the domain now has
 * and every change Xen's silent clamping made to what was asked (Xen itself only drops them).
 *
 * @param policy the domain's policy after recalculation
 * @param removed the requested features Xen turned off, bit by bit, in featureset order
 * @param added the features Xen turned on that were not asked for (the host-valued bits)
 * @param fields the non-feature fields Xen changed
 */
public record ClampReport(
    CpuPolicy policy, ImmutableList<ClampedFeature> removed, ImmutableList<ClampedFeature> added,
    ImmutableList<ClampedField> fields) {

  /** Returns whether the domain got exactly what was asked for. */
  public boolean unchanged() {
    return removed.isEmpty() && added.isEmpty() && fields.isEmpty();
  }
}
