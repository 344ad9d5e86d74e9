package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;

/**
 * A feature some host has that the pool's policy lacks, and why: the weakest links.
 *
 * @param index the feature number (word * 32 + bit)
 * @param name its name, or {@code bit N (word W bit B)} for an unknown bit
 * @param unknown whether the feature table does not know the bit (then it is never offered, and
 *     {@code lackedBy} lists the hosts that <em>have</em> it)
 * @param lackedBy the hosts that remove it directly: their featureset lacks it (for the boot set,
 *     their default lacks it, unless it is a {@code |} feature, or their max lacks it) although
 *     they have all its prerequisites
 * @param through the missing prerequisites it was lost through (Xen's dependency closure), each
 *     with the hosts that lack that prerequisite directly; a prerequisite no host lacks directly
 *     (lost through a deeper one) is left out
 */
public record LostFeature(
    int index,
    String name,
    boolean unknown,
    ImmutableList<String> lackedBy,
    ImmutableList<Prerequisite> through) {

  /**
   * Returns one line for people: {@code avx512f: lacked by b; through avx2 (lacked by c)}, or
   * {@code bit 608 (word 19 bit 0): unknown to this Xen, never offered (set on a)}.
   */
  public String describe() {
    if (unknown) {
      return name + ": unknown to this Xen, never offered (set on "
          + PoolLeveller.joinNames(lackedBy) + ")";
    }
    StringBuilder sb = new StringBuilder(name).append(':');
    if (!lackedBy.isEmpty()) {
      sb.append(" lacked by ").append(PoolLeveller.joinNames(lackedBy));
    }
    for (int i = 0; i < through.size(); i++) {
      Prerequisite p = through.get(i);
      sb.append(i == 0 && lackedBy.isEmpty() ? " " : "; ").append("through ").append(p.name())
          .append(" (lacked by ").append(PoolLeveller.joinNames(p.lackedBy())).append(')');
    }
    return sb.toString();
  }
}
