package dev.xenlevelling.xl;

import com.google.common.collect.ImmutableList;

/**
 * A domain {@link Libxl#create} made, and what became of each bit its cpuid= asked for.
 *
 * @param domid the new domain's id
 * @param name its name
 * @param outcomes one per requested bit, in cpuid= order
 */
public record CreateResult(int domid, String name, ImmutableList<BitOutcome> outcomes) {
  /** Returns the requested bits the hypervisor changed. */
  public ImmutableList<BitOutcome> clamped() {
    return outcomes.stream().filter(BitOutcome::clamped)
        .collect(ImmutableList.toImmutableList());
  }
}
