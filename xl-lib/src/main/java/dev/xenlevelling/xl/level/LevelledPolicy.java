package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.Optional;

/**
 * A pool's levelled CPU policy: per guest type the boot featureset, the migration ceiling and the
 * limits; the vendor; the hosts it was computed from with their fingerprints; and notes on
 * anything degenerate (a guest type some host lacks, an empty featureset).
 *
 * @param vendor the vendor of every host
 * @param types the levelled guest types (only those every host supports)
 * @param hosts the pool members, in the order given
 * @param notes one line per degenerate aspect of the result, empty when there is none
 */
public record LevelledPolicy(
    Vendor vendor,
    ImmutableSortedMap<DomainType, LevelledType> types,
    ImmutableList<HostRef> hosts,
    ImmutableList<String> notes) {

  /** Returns the policy for guest type {@code type}, empty when some host does not support it. */
  public Optional<LevelledType> type(DomainType type) {
    return Optional.ofNullable(types.get(type));
  }
}
