package dev.xenlevelling.xl.policyfile;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The non-flag limits of a policy file for one guest type, each absent when not set (then the
 * host's value stands).
 *
 * @param maxLeaf the basic max leaf, 0 to 0xffffffff ({@code max_leaf})
 * @param leaf7MaxSubleaf the leaf 7 max subleaf, 0 to 2147483647 ({@code leaf7_max_subleaf})
 * @param extdMaxLeaf the extended max leaf, 0 to 0xffffffff ({@code extd_max_leaf})
 * @param maxPhysAddr physical address bits, 1 to 64 ({@code maxphysaddr})
 */
public record PolicyLimits(
    OptionalLong maxLeaf, OptionalInt leaf7MaxSubleaf, OptionalLong extdMaxLeaf,
    OptionalInt maxPhysAddr) {

  /** Limits that set nothing. */
  public static final PolicyLimits NONE = new PolicyLimits(
      OptionalLong.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalInt.empty());

  /** Validates the ranges. */
  public PolicyLimits {
    maxLeaf.ifPresent(v -> checkArgument(v >= 0 && v <= 0xffffffffL, "maxLeaf (%s)", v));
    extdMaxLeaf.ifPresent(v -> checkArgument(v >= 0 && v <= 0xffffffffL, "extdMaxLeaf (%s)", v));
    leaf7MaxSubleaf.ifPresent(v -> checkArgument(v >= 0, "leaf7MaxSubleaf (%s)", v));
    maxPhysAddr.ifPresent(v -> checkArgument(v >= 1 && v <= 64, "maxPhysAddr (%s)", v));
  }

  /** Returns whether no limit is set. */
  public boolean isEmpty() {
    return maxLeaf.isEmpty() && leaf7MaxSubleaf.isEmpty() && extdMaxLeaf.isEmpty()
        && maxPhysAddr.isEmpty();
  }
}
