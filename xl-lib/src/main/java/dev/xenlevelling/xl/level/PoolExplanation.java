package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;

/**
 * The explanation of a pool's levelled policy, per levelled guest type.
 *
 * @param types per guest type, the lost features and the hosts' costs
 */
public record PoolExplanation(ImmutableSortedMap<DomainType, TypeExplanation> types) {}
