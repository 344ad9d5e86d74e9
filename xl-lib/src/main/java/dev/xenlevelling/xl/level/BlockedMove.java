package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * A running domain that could not move to a host, and why.
 *
 * @param domain the domain's name
 * @param toHost the host it could not move to
 * @param typeUnsupported whether that host does not support the domain's guest type at all
 * @param missing the features the domain has that the host's max featureset lacks
 */
public record BlockedMove(
    String domain, String toHost, boolean typeUnsupported, ImmutableList<String> missing) {}
