package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * Whether one featureset (a domain's, or a dump's) fits one host, naming every missing feature.
 *
 * @param host the host's name
 * @param type the guest type checked
 * @param typeSupported whether the host supports that guest type at all
 * @param missing every feature of the featureset that the host's max featureset lacks, in
 *     featureset order (unknown bits named {@code bit N (word W bit B)})
 */
public record CompatibilityResult(
    String host, GuestType type, boolean typeSupported, ImmutableList<String> missing) {

  /** Returns whether the featureset fits: the type is supported and nothing is missing. */
  public boolean compatible() {
    return typeSupported && missing.isEmpty();
  }
}
