package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;

/**
 * Whether one featureset (a domain's, or a dump's) fits one host, naming every missing feature.
 *
 * @param host the host's name
 * @param type the guest type checked
 * @param typeSupported whether the host supports that guest type at all
 * @param missing every feature of the featureset that the host's max featureset lacks, in
 *     featureset order (unknown bits named {@code bit N (word W bit B)})
 * @param limitsExceeded every limit Xen checks ({@code x86_cpu_policies_are_compatible}: basic
 *     max leaf, leaf 7 max subleaf, extended max leaf) that is above the host's, as
 *     {@code max_leaf 0x14 (host 0xd)}
 * @param notes what does not stop a move but should be levelled (a maxphysaddr above the
 *     host's: Xen does not audit it; the migration doc lists it as "should be levelled")
 */
public record HostFitResult(
    String host, DomainType type, boolean typeSupported, ImmutableList<String> missing,
    ImmutableList<String> limitsExceeded, ImmutableList<String> notes) {

  /** Returns a result of featuresets alone: no limit compared. */
  public HostFitResult(
      String host, DomainType type, boolean typeSupported, ImmutableList<String> missing) {
    this(host, type, typeSupported, missing, ImmutableList.of(), ImmutableList.of());
  }

  /**
   * Returns whether the featureset fits: the type is supported, no feature is missing and no
   * limit Xen checks is above the host's.
   */
  public boolean compatible() {
    return typeSupported && missing.isEmpty() && limitsExceeded.isEmpty();
  }
}
