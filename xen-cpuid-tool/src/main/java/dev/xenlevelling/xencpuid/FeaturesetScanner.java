package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xc.policy.Featureset;
import java.util.Arrays;

/**
 * xen-cpuid's interpret-mode reader of one command-line featureset: its loop
 * {@code while (sscanf(ptr, "%x%n", &fs[i], &n) == 1) { i++; ptr += n; if (i == nr_features)
 * break; if (*ptr == ':' || *ptr == '-') { ptr++; continue; } break; }}, with glibc's {@code %x}.
 *
 * <p>Unlike the strict {@link Featureset#parse}, this reproduces every quirk of the C code, because
 * administrators paste the same strings into both tools:
 * <ul>
 *   <li>each word may have leading white space ({@code isspace} in the C locale), a sign and a
 *       {@code 0x} prefix; a bare {@code 0x} is read as 0 (glibc's scanf consumes the {@code x});
 *   <li>the digits are converted by {@code strtoul} to 64 bits (more than 16 significant digits
 *       saturate to {@code ULONG_MAX}, a {@code -} negates modulo 2^64) and then cut to 32 bits;
 *   <li>reading stops after {@code maxWords} words, before looking at the separator.
 * </ul>
 * Separators are {@code :} and {@code -} as in Xen 4.18 and later. Deliberate deviation from the
 * Debian 4.17.7 tool, whose loop accepts only {@code :}.
 */
final class FeaturesetScanner {
  private FeaturesetScanner() {}

  /**
   * What the loop read: the words ({@link Featureset#length()} is the count {@code i}, possibly 0)
   * and the unread rest of the argument ({@code ptr}).
   */
  record Result(Featureset words, String rest) {}

  /** Returns what xen-cpuid's loop reads from {@code arg}, at most {@code maxWords} words. */
  static Result scan(String arg, int maxWords) {
    int[] words = new int[maxWords];
    int n = 0;
    int ptr = 0;
    long[] value = new long[1];
    while (n < maxWords) {
      int end = scanHex(arg, ptr, value);
      if (end < 0) {
        break;
      }
      words[n++] = (int) value[0];
      ptr = end;
      if (n == maxWords) {
        break;
      }
      if (ptr < arg.length() && (arg.charAt(ptr) == ':' || arg.charAt(ptr) == '-')) {
        ptr++;
        continue;
      }
      break;
    }
    return new Result(Featureset.of(Arrays.copyOf(words, n)), arg.substring(ptr));
  }

  /**
   * Mirrors one glibc {@code sscanf("%x%n")} at {@code from}: stores the 64-bit value
   * {@code strtoul} gives in {@code value[0]} and returns the index after the last character
   * consumed, or -1 if no number was converted.
   */
  static int scanHex(String s, int from, long[] value) {
    int i = from;
    int n = s.length();
    while (i < n && isCSpace(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return -1;
    }
    boolean negative = false;
    char c = s.charAt(i);
    if (c == '+' || c == '-') {
      negative = c == '-';
      i++;
    }
    boolean leadingZero = false;
    if (i < n && s.charAt(i) == '0') {
      leadingZero = true;
      i++;
      if (i < n && (s.charAt(i) | 0x20) == 'x') {
        i++;
      }
    }
    long v = 0;
    boolean overflow = false;
    int digits = 0;
    while (i < n) {
      int d = hexDigit(s.charAt(i));
      if (d < 0) {
        break;
      }
      if (Long.compareUnsigned(v, 0x0fff_ffff_ffff_ffffL) > 0) {
        overflow = true;
      }
      v = (v << 4) | d;
      digits++;
      i++;
    }
    if (!leadingZero && digits == 0) {
      return -1;
    }
    if (overflow) {
      v = -1L;
    } else if (negative) {
      v = -v;
    }
    value[0] = v;
    return i;
  }

  /** Returns the value of ASCII hex digit {@code c} (C's {@code isxdigit}), or -1. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Returns whether {@code c} is white space for C's {@code isspace} in the C locale. */
  private static boolean isCSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }
}
