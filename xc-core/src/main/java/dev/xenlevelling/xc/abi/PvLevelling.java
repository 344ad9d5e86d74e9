package dev.xenlevelling.xc.abi;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * How a PV domain's CPU policy reaches native CPUID on this host: the masking or override MSR
 * values Xen loads for the domain (on hardware without faulting), and the features the policy
 * hides that the guest still sees, because no mechanism covers their leaf.
 *
 * @param faulting whether CPUID faulting levels everything (then there are no masks and nothing
 *     is unenforceable)
 * @param masks the per-domain MSR values, by Xen's name ({@code 1cd}, {@code e1cd}, {@code Da1},
 *     {@code 6c}, {@code 7ab0}); for leaf 1 and 0x80000001 the Intel layout is ecx low / edx high
 *     and the AMD one edx low / ecx high, as the hardware wants
 * @param unenforceable the restrictions the hardware cannot enforce, one per feature
 */
public record PvLevelling(
    boolean faulting, ImmutableMap<String, Long> masks, ImmutableList<Unenforceable> unenforceable) {

  /**
   * A feature the domain's policy hides (or changes) that native CPUID still shows it.
   *
   * @param name the feature
   * @param word the featureset word's label ({@code CPUID 0x00000007:0.ecx})
   * @param why {@code no masking MSR for this leaf} or {@code host value forced through}
   */
  public record Unenforceable(String name, String word, String why) {}
}
