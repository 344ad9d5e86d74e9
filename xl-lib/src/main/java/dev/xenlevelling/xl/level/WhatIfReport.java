package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;

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
    ImmutableSortedMap<DomainType, FeatureDelta> changes,
    ImmutableList<BlockedMove> blocked) {

  /**
   * Returns the report as lines for people: per guest type the features the ceiling and the boot
   * set would gain and lose, then every move a running domain could no longer make.
   */
  public ImmutableList<String> describe() {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    for (FeatureDelta d : changes.values()) {
      String t = d.type().key();
      ImmutableList<String> limits = limitChanges(d.type());
      if (d.isEmpty() && limits.isEmpty()) {
        b.add(t + ": no change");
        continue;
      }
      limits.forEach(l -> b.add(t + ": " + l));
      add(b, t + ": the ceiling would gain ", d.ceilingGained());
      add(b, t + ": the ceiling would lose ", d.ceilingLost());
      add(b, t + ": new guests would gain ", d.bootGained());
      add(b, t + ": new guests would lose ", d.bootLost());
    }
    for (BlockedMove m : blocked) {
      b.add(m.typeUnsupported()
          ? "domain " + m.domain() + " could not move to " + m.toHost()
              + ": the host does not support its guest type"
          : "domain " + m.domain() + " could not move to " + m.toHost() + ": "
              + (m.missing().isEmpty() ? "" : "it lacks " + String.join(" ", m.missing()))
              + (m.missing().isEmpty() || m.limitsExceeded().isEmpty() ? "" : "; ")
              + (m.limitsExceeded().isEmpty() ? ""
                  : "its limits are above the host's: " + String.join(", ", m.limitsExceeded())));
    }
    return b.build();
  }

  /**
   * Returns the changes of the limits Xen checks (basic max leaf, leaf 7 max subleaf, extended
   * max leaf) and of maxphysaddr (not checked, should be levelled) for {@code type}, as
   * {@code max_leaf would drop from 0xd to 0xb}.
   */
  private ImmutableList<String> limitChanges(DomainType type) {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    if (before.type(type).isEmpty() || after.type(type).isEmpty()) {
      return b.build();
    }
    CpuLimits x = before.type(type).get().limits();
    CpuLimits y = after.type(type).get().limits();
    change(b, "max_leaf", x.maxLeaf(), y.maxLeaf(), true);
    change(b, "leaf7_max_subleaf", asLong(x.leaf7MaxSubleaf()), asLong(y.leaf7MaxSubleaf()),
        false);
    change(b, "extd_max_leaf", x.extdMaxLeaf(), y.extdMaxLeaf(), true);
    change(b, "maxphysaddr", asLong(x.maxPhysAddr()), asLong(y.maxPhysAddr()), false);
    return b.build();
  }

  private static void change(ImmutableList.Builder<String> b, String name,
      java.util.OptionalLong from, java.util.OptionalLong to, boolean hex) {
    if (from.isPresent() && to.isPresent() && from.getAsLong() != to.getAsLong()) {
      b.add(name + " would " + (to.getAsLong() < from.getAsLong() ? "drop" : "rise") + " from "
          + text(from.getAsLong(), hex) + " to " + text(to.getAsLong(), hex));
    }
  }

  private static String text(long v, boolean hex) {
    return hex ? "0x" + Long.toHexString(v) : Long.toString(v);
  }

  private static java.util.OptionalLong asLong(java.util.OptionalInt v) {
    return v.isPresent() ? java.util.OptionalLong.of(v.getAsInt())
        : java.util.OptionalLong.empty();
  }

  private static void add(ImmutableList.Builder<String> b, String prefix, ImmutableList<String> names) {
    if (!names.isEmpty()) {
      b.add(prefix + String.join(" ", names));
    }
  }
}
