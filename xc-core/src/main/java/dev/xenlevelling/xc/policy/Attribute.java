package dev.xenlevelling.xc.policy;

import java.util.Optional;

/**
 * An attribute marker of cpufeatureset.h: the characters right after {@code /*} on a feature's
 * line, which gen-cpuid.py turns into the static masks.
 */
public enum Attribute {
  /** {@code A}: offered to every guest (PV and HVM) by default. */
  ALL_DEFAULT('A'),
  /** {@code S}: offered to HVM guests (HAP and shadow) by default. */
  HVM_DEFAULT('S'),
  /** {@code H}: offered to HVM guests using HAP by default. */
  HAP_DEFAULT('H'),
  /** {@code a}: as A, but only in the max sets (a guest may opt in). */
  ALL_MAX('a'),
  /** {@code s}: as S, but only in the max sets. */
  HVM_MAX('s'),
  /** {@code h}: as H, but only in the max sets. */
  HAP_MAX('h'),
  /** {@code !}: special, Xen may override the toolstack for it. */
  SPECIAL('!'),
  /** {@code |}: accumulate, OR-ed rather than AND-ed across a pool. */
  SIMPLE_OR('|');

  private final char marker;

  Attribute(char marker) {
    this.marker = marker;
  }

  /** Returns the marker character as written in cpufeatureset.h. */
  public char marker() {
    return marker;
  }

  /** Returns the attribute of marker {@code c}, or empty if {@code c} is not a known marker. */
  public static Optional<Attribute> ofMarker(char c) {
    for (Attribute a : values()) {
      if (a.marker == c) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
