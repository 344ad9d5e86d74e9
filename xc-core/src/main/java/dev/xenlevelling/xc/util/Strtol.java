package dev.xenlevelling.xc.util;

import static com.google.common.base.Preconditions.checkPositionIndex;

/**
 * glibc's {@code strtol} and {@code strtoul} with base 0 on LP64, as the C tools read numbers:
 * xen-cpuid's {@code -p DOMID} ({@code strtol}) and every number of libxl's {@code cpuid=}
 * ({@code strtoul}). Leading white space ({@code isspace} in the C locale) and one sign are
 * skipped; base 0 picks hex after {@code 0x}, octal after {@code 0}, decimal otherwise. A
 * {@code 0x} not followed by a hex digit parses the {@code 0} and stops before the {@code x}.
 */
public final class Strtol {
  /**
   * The result of one call.
   *
   * @param value the value: for {@code strtol} LONG_MIN or LONG_MAX when out of range; for
   *     {@code strtoul} the unsigned 64-bit value, ULONG_MAX ({@code -1}) when out of range,
   *     negated modulo 2^64 after a minus sign
   * @param end the index {@code endptr} points at; the start index when no digit was read
   * @param outOfRange whether errno was set to ERANGE
   */
  public record Result(long value, int end, boolean outOfRange) {
    /** Returns whether any digit was parsed from {@code start}, as C's {@code end != start}. */
    public boolean parsed(int start) {
      return end != start;
    }
  }

  /** The digits read: sign, unsigned magnitude (exact unless overflow), end index. */
  private record Scan(boolean negative, long magnitude, boolean overflow, int end,
      boolean digits) {}

  private Strtol() {}

  /** Returns {@code strtol(s + start, &end, 0)}. */
  public static Result strtol(String s, int start) {
    Scan r = scan(s, start);
    if (!r.digits()) {
      return new Result(0, start, false);
    }
    if (r.overflow()
        || (!r.negative() && Long.compareUnsigned(r.magnitude(), Long.MAX_VALUE) > 0)
        || (r.negative() && Long.compareUnsigned(r.magnitude(), Long.MIN_VALUE) > 0)) {
      return new Result(r.negative() ? Long.MIN_VALUE : Long.MAX_VALUE, r.end(), true);
    }
    return new Result(r.negative() ? -r.magnitude() : r.magnitude(), r.end(), false);
  }

  /** Returns {@code strtoul(s + start, &end, 0)}: overflow gives ULONG_MAX, a minus negates. */
  public static Result strtoul(String s, int start) {
    Scan r = scan(s, start);
    if (!r.digits()) {
      return new Result(0, start, false);
    }
    if (r.overflow()) {
      return new Result(-1L, r.end(), true);
    }
    return new Result(r.negative() ? -r.magnitude() : r.magnitude(), r.end(), false);
  }

  /** Returns whether {@code c} is white space in the C locale ({@code isspace}). */
  public static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  private static Scan scan(String s, int start) {
    checkPositionIndex(start, s.length(), "start");
    int i = start;
    int n = s.length();
    while (i < n && isSpace(s.charAt(i))) {
      i++;
    }
    boolean negative = false;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int base = 10;
    if (i < n && s.charAt(i) == '0') {
      if (i + 2 < n && (s.charAt(i + 1) | 0x20) == 'x' && digit(s.charAt(i + 2), 16) >= 0) {
        base = 16;
        i += 2;
      } else {
        base = 8;
      }
    }
    int digitsStart = i;
    long magnitude = 0; // unsigned accumulation, as glibc
    boolean overflow = false;
    while (i < n) {
      int d = digit(s.charAt(i), base);
      if (d < 0) {
        break;
      }
      if (!overflow) {
        // magnitude * base + d must stay below 2^64 (unsigned).
        if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L - d, base)) > 0) {
          overflow = true;
        } else {
          magnitude = magnitude * base + d;
        }
      }
      i++;
    }
    return new Scan(negative, magnitude, overflow, i, i != digitsStart);
  }

  private static int digit(char c, int base) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    return d < base ? d : -1;
  }
}
