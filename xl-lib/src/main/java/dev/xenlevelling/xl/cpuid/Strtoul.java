package dev.xenlevelling.xl.cpuid;

/**
 * glibc's {@code strtoul(s, &end, 0)} on a 64-bit host, which libxl uses for every number in
 * {@code cpuid=}: leading white space ({@code isspace}) and one sign are skipped, base 0 picks
 * hex after {@code 0x}, octal after {@code 0}, decimal otherwise; overflow gives ULONG_MAX and a
 * minus sign negates modulo 2^64. A {@code 0x} not followed by a hex digit parses the {@code 0}
 * and stops before the {@code x}.
 */
final class Strtoul {
  /** The parsed value (unsigned 64 bits) and the index where parsing stopped ({@code end}). */
  record Result(long value, int end) {
    /** Returns whether any digit was parsed, as C's {@code end != start}. */
    boolean parsed(int start) {
      return end != start;
    }
  }

  private Strtoul() {}

  /** Returns strtoul(s + start, &end, 0); {@code end == start} when no digit was parsed. */
  static Result parse(String s, int start) {
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
      if (i + 2 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
          && digit(s.charAt(i + 2), 16) >= 0) {
        base = 16;
        i += 2;
      } else {
        base = 8;
      }
    }
    int digitsStart = i;
    long value = 0;
    boolean overflow = false;
    while (i < n) {
      int d = digit(s.charAt(i), base);
      if (d < 0) {
        break;
      }
      if (!overflow) {
        // value * base + d must stay below 2^64 (unsigned).
        long limit = Long.divideUnsigned(-1L - d, base);
        if (Long.compareUnsigned(value, limit) > 0) {
          overflow = true;
        } else {
          value = value * base + d;
        }
      }
      i++;
    }
    if (i == digitsStart) {
      return new Result(0, start);
    }
    if (overflow) {
      return new Result(-1L, i);
    }
    return new Result(negative ? -value : value, i);
  }

  /** Returns whether {@code c} is white space in the C locale ({@code isspace}). */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
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
