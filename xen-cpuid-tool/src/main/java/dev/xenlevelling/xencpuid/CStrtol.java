package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xc.util.Strtol;

/** glibc's {@code strtol(s, &end, 0)} on LP64, as xen-cpuid reads {@code -p DOMID}. */
final class CStrtol {
  private CStrtol() {}

  /**
   * The result of one call.
   *
   * @param value the value (LONG_MIN or LONG_MAX when out of range)
   * @param end the index {@code endptr} points at; 0 when no digits were read
   * @param outOfRange whether errno was set to ERANGE
   */
  record Result(long value, int end, boolean outOfRange) {}

  /** Returns what {@code strtol(s, &end, 0)} gives ({@link Strtol#strtol}). */
  static Result parse(String s) {
    Strtol.Result r = Strtol.strtol(s, 0);
    return new Result(r.value(), r.end(), r.outOfRange());
  }
}
