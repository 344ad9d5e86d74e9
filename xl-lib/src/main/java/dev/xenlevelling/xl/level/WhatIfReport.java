package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;

/**
 * What would change if a host joined or left a pool.
 *
 * @param before the pool's policy now
 * @param after the pool's policy after the change
 * @param changes per guest type levelled before or after, the features gained and lost (a type
 *     no longer levelled loses everything; a type newly levelled gains everything)
 * @param blocked the moves running domains could no longer make
 */
public record WhatIfReport(
    LevelledPolicy before,
    LevelledPolicy after,
    ImmutableSortedMap<GuestType, FeatureDelta> changes,
    ImmutableList<BlockedMove> blocked) {

  /**
   * Returns the report as lines for people: per guest type the features the ceiling and the boot
   * set would gain and lose, then every move a running domain could no longer make.
   */
  public ImmutableList<String> describe() {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    for (FeatureDelta d : changes.values()) {
      String t = d.type().key();
      if (d.isEmpty()) {
        b.add(t + ": no change");
        continue;
      }
      add(b, t + ": the ceiling would gain ", d.ceilingGained());
      add(b, t + ": the ceiling would lose ", d.ceilingLost());
      add(b, t + ": new guests would gain ", d.bootGained());
      add(b, t + ": new guests would lose ", d.bootLost());
    }
    for (BlockedMove m : blocked) {
      b.add(m.typeUnsupported()
          ? "domain " + m.domain() + " could not move to " + m.toHost()
              + ": the host does not support its guest type"
          : "domain " + m.domain() + " could not move to " + m.toHost() + ": it lacks "
              + String.join(" ", m.missing()));
    }
    return b.build();
  }

  private static void add(ImmutableList.Builder<String> b, String prefix, ImmutableList<String> names) {
    if (!names.isEmpty()) {
      b.add(prefix + String.join(" ", names));
    }
  }
}
