package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * A running domain that could not move to a host, and why.
 *
 * @param domain the domain's name
 * @param toHost the host it could not move to
 * @param typeUnsupported whether that host does not support the domain's guest type at all
 * @param missing the features the domain has that the host's max featureset lacks
 * @param limitsExceeded the limits Xen checks that the domain has above the host's
 */
public record BlockedMove(
    String domain, String toHost, boolean typeUnsupported, ImmutableList<String> missing,
    ImmutableList<String> limitsExceeded) {

  /** Returns a blocked move for missing features alone. */
  public BlockedMove(
      String domain, String toHost, boolean typeUnsupported, ImmutableList<String> missing) {
    this(domain, toHost, typeUnsupported, missing, ImmutableList.of());
  }
}
