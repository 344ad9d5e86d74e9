package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;

/**
 * How one guest type's levelled policy would change.
 *
 * @param type the guest type
 * @param bootGained features the boot set would gain
 * @param bootLost features the boot set would lose
 * @param ceilingGained features the ceiling would gain
 * @param ceilingLost features the ceiling would lose
 */
public record FeatureDelta(
    DomainType type,
    ImmutableList<String> bootGained,
    ImmutableList<String> bootLost,
    ImmutableList<String> ceilingGained,
    ImmutableList<String> ceilingLost) {

  /** Returns whether nothing would change. */
  public boolean isEmpty() {
    return bootGained.isEmpty() && bootLost.isEmpty() && ceilingGained.isEmpty()
        && ceilingLost.isEmpty();
  }
}
