package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * What one host costs the pool: the features the pool's policy would gain without it.
 *
 * @param host the host's name
 * @param bootGain features the boot featureset would gain
 * @param ceilingGain features the migration ceiling would gain
 */
public record HostCost(String host, ImmutableList<String> bootGain, ImmutableList<String> ceilingGain) {}
