package dev.xenlevelling.xencpuid;

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

  /**
   * Returns what {@code strtol(s, &end, 0)} gives: leading white space, a sign, then {@code 0x}
   * for hex, {@code 0} for octal, else decimal ({@code 0x} without a hex digit reads as 0, with
   * end just after the {@code 0}).
   */
  static Result parse(String s) {
    int i = 0;
    int n = s.length();
    while (i < n && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
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
    int start = i;
    long magnitude = 0;     // unsigned accumulation, as glibc
    boolean overflow = false;
    while (i < n) {
      int d = digit(s.charAt(i), base);
      if (d < 0) {
        break;
      }
      long next = magnitude * base + d;
      if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L, base)) > 0
          || Long.compareUnsigned(next, magnitude) < 0) {
        overflow = true;
      }
      magnitude = next;
      i++;
    }
    if (i == start) {
      return new Result(0, 0, false);
    }
    if (overflow
        || (!negative && Long.compareUnsigned(magnitude, Long.MAX_VALUE) > 0)
        || (negative && Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0)) {
      return new Result(negative ? Long.MIN_VALUE : Long.MAX_VALUE, i, true);
    }
    return new Result(negative ? -magnitude : magnitude, i, false);
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
