package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * A non-flag limit the pool had to lower, and the hosts that lowered it (the weakest links).
 *
 * @param name the limit's policy file name ({@code max_leaf}, {@code leaf7_max_subleaf},
 *     {@code extd_max_leaf}, {@code maxphysaddr}, {@code xsave_max_size})
 * @param value the pool's value, the minimum
 * @param highest the highest value among the hosts
 * @param setBy the hosts whose value is the minimum
 */
public record LimitCause(String name, long value, long highest, ImmutableList<String> setBy) {

  /** Returns one line for people: {@code maxphysaddr: 39, not 46, because of a, b}. */
  public String describe() {
    boolean hex = name.endsWith("_leaf");
    return name + ": " + (hex ? "0x" + Long.toHexString(value) : value) + ", not "
        + (hex ? "0x" + Long.toHexString(highest) : highest) + ", because of "
        + PoolLeveller.joinNames(setBy);
  }
}
