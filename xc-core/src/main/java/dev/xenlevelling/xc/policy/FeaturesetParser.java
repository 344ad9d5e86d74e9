package dev.xenlevelling.xc.policy;

import java.util.Arrays;

/**
 * The parser for featuresets in xen-cpuid's form, written for speed: no regular expressions, no
 * splitting, one pass over the characters.
 *
 * <p>Grammar: optional blanks, then words separated by {@code :} or {@code -} (Xen 4.18+ accepts
 * both; they may be mixed), then optional blanks. A word is an optional {@code 0x} or {@code 0X}
 * and 1 to 8 hex digits in either case. Any number of words is accepted: an older Xen's 9 or 14
 * words, the latest 19, or more (kept as unknown bits). Unlike xen-cpuid's {@code sscanf} loop,
 * which silently stops at the first character it does not like, every bad character is an error.
 */
final class FeaturesetParser {
  private FeaturesetParser() {}

  static Featureset parse(CharSequence text) throws FeaturesetFormatException {
    return parse(text, 0, text.length());
  }

  /** Parses {@code text[start, end)}; columns in errors count from {@code start}. */
  static Featureset parse(CharSequence text, int start, int end) throws FeaturesetFormatException {
    int i = start;
    while (i < end && isBlank(text.charAt(i))) {
      i++;
    }
    while (end > i && isBlank(text.charAt(end - 1))) {
      end--;
    }
    if (i == end) {
      throw new FeaturesetFormatException(i - start + 1,
          "expected a featureset (hex words separated by ':'), found nothing");
    }
    int[] words = new int[20];
    int n = 0;
    while (true) {
      if (i + 1 < end && text.charAt(i) == '0' && (text.charAt(i + 1) | 0x20) == 'x') {
        i += 2;
      }
      int digitsStart = i;
      int value = 0;
      while (i < end) {
        int d = hexValue(text.charAt(i));
        if (d < 0) {
          break;
        }
        if (i - digitsStart == 8) {
          throw new FeaturesetFormatException(i - start + 1,
              "word " + n + " has more than 8 hex digits");
        }
        value = (value << 4) | d;
        i++;
      }
      if (i == digitsStart) {
        throw new FeaturesetFormatException(i - start + 1, i < end
            ? "expected a hex digit for word " + n + ", found '" + text.charAt(i) + "'"
            : "expected a hex digit for word " + n + ", found the end");
      }
      if (n == words.length) {
        words = Arrays.copyOf(words, n * 2);
      }
      words[n++] = value;
      if (i == end) {
        break;
      }
      char sep = text.charAt(i);
      if (sep != ':' && sep != '-') {
        throw new FeaturesetFormatException(i - start + 1,
            "expected ':' or '-' after word " + (n - 1) + ", found '" + sep + "'");
      }
      i++;
      if (i == end) {
        throw new FeaturesetFormatException(i - start + 1,
            "expected word " + n + " after '" + sep + "', found the end");
      }
    }
    return Featureset.wrap(n == words.length ? words : Arrays.copyOf(words, n));
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    int l = c | 0x20;
    if (l >= 'a' && l <= 'f') {
      return l - 'a' + 10;
    }
    return -1;
  }
}
