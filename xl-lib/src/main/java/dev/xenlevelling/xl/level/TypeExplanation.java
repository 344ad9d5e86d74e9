package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;

/**
 * Why one guest type's levelled policy is what it is.
 *
 * @param type the guest type
 * @param bootLost every feature in some host's default featureset but not in the boot set
 * @param ceilingLost every feature in some host's max featureset but not in the ceiling
 * @param limits each non-flag limit some host lowered, with the hosts that lowered it
 * @param costs per host (in pool order), what the pool would gain without it
 */
public record TypeExplanation(
    DomainType type,
    ImmutableList<LostFeature> bootLost,
    ImmutableList<LostFeature> ceilingLost,
    ImmutableList<LimitCause> limits,
    ImmutableList<HostCost> costs) {

  /**
   * Returns the explanation as lines for people: the features lost from the ceiling and from the
   * boot set (only those not already lost from the ceiling), the lowered limits, then what each
   * host costs the pool.
   */
  public ImmutableList<String> describe() {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    String t = type.key();
    java.util.Set<Integer> fromCeiling = new java.util.HashSet<>();
    for (LostFeature f : ceilingLost) {
      fromCeiling.add(f.index());
      b.add(t + ": lost from the ceiling: " + f.describe());
    }
    for (LostFeature f : bootLost) {
      if (!fromCeiling.contains(f.index())) {
        b.add(t + ": off by default: " + f.describe());
      }
    }
    for (LimitCause l : limits) {
      b.add(t + ": limit " + l.describe());
    }
    for (HostCost c : costs) {
      if (!c.ceilingGain().isEmpty() || !c.bootGain().isEmpty()) {
        StringBuilder sb = new StringBuilder(t).append(": without ").append(c.host())
            .append(" the pool would gain");
        if (!c.ceilingGain().isEmpty()) {
          sb.append(' ').append(String.join(" ", c.ceilingGain()));
        }
        java.util.List<String> bootOnly = new java.util.ArrayList<>(c.bootGain());
        bootOnly.removeAll(c.ceilingGain());
        if (!bootOnly.isEmpty()) {
          sb.append(c.ceilingGain().isEmpty() ? " " : "; ").append("by default ")
              .append(String.join(" ", bootOnly));
        }
        b.add(sb.toString());
      }
    }
    return b.build();
  }
}
