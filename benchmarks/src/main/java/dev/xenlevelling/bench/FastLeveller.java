package dev.xenlevelling.bench;

import static com.google.common.base.Preconditions.checkPositionIndexes;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xl.level.LevelException;
import java.util.Arrays;

/**
 * The fast path of pool levelling for very large pools: many hosts' featuresets as text, one per
 * line as xen-cpuid prints them ({@code %08x:%08x:...}), levelled in one pass over the bytes into
 * one accumulator: AND, OR for the {@code |} features, then unknown bits dropped and the
 * dependency closure: {@link dev.xenlevelling.xl.level.PoolLeveller}'s boot rule for the hosts'
 * default featuresets ({@link #level}), and its ceiling rule, AND only, for their max featuresets
 * ({@link #levelCeiling}). AND the two results for the boot set within the ceiling. No command
 * uses it (xl cpu-level levels through PoolLeveller, whose reading of the dumps costs far more):
 * it is the floor PoolLevelBench measures the leveller against.
 *
 * <p>No strings, no splitting, no regular expressions: one loop over ASCII bytes with a lookup
 * table for hex digits, so levelling 100,000 hosts costs a few tens of milliseconds.
 *
 * <p>Grammar of a line (the same as {@code Featureset.parse}): optional blanks; words of 1 to 8
 * hex digits, each with an optional {@code 0x}, separated by {@code :} or {@code -}; optional
 * blanks; then {@code \n} or {@code \r\n} or the end. Empty lines are skipped. Lines may have
 * different numbers of words: a word a line lacks is zero (that host offers none of its features).
 */
public final class FastLeveller {
  private static final byte[] HEX = new byte[256];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX[c] = (byte) (c - 'a' + 10);
      HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
    }
  }

  private final FeatureTable table;
  private final int[] simpleOr;

  /** Creates the fast path over {@code table}. */
  public FastLeveller(FeatureTable table) {
    this.table = table;
    this.simpleOr = table.mask(StaticMask.SIMPLE_OR).toArray();
  }

  /**
   * Returns the levelled featureset of the hosts whose featuresets are the lines of
   * {@code text[offset, offset + length)} (ASCII): the AND of every line, OR for the {@code |}
   * features, known features only, closed under dependencies; {@link FeatureTable#nrWords()}
   * words.
   *
   * @throws LevelException {@code MALFORMED_FEATURESET} naming the line and column of the first
   *     bad character, or {@code NO_HOSTS} for no line at all
   */
  public Featureset level(byte[] text, int offset, int length) throws LevelException {
    return level(text, offset, length, true);
  }

  /**
   * Returns the ceiling of the hosts whose max featuresets are the lines of
   * {@code text[offset, offset + length)}: as {@link #level} but AND only, no OR for the
   * {@code |} features.
   *
   * @throws LevelException as {@link #level}
   */
  public Featureset levelCeiling(byte[] text, int offset, int length) throws LevelException {
    return level(text, offset, length, false);
  }

  private Featureset level(byte[] text, int offset, int length, boolean accumulate)
      throws LevelException {
    checkPositionIndexes(offset, offset + length, text.length);
    final int nw = table.nrWords();
    final int[] and = new int[nw];
    final int[] or = new int[nw];
    Arrays.fill(and, -1);
    int common = Integer.MAX_VALUE;
    int hosts = 0;
    int line = 1;
    int i = offset;
    final int end = offset + length;
    while (i < end) {
      int lineStart = i;
      int c = text[i];
      while (c == ' ' || c == '\t') {
        if (++i == end) {
          break;
        }
        c = text[i];
      }
      if (i == end) {
        break;
      }
      if (c == '\n' || (c == '\r' && i + 1 < end && text[i + 1] == '\n')) {
        i += c == '\n' ? 1 : 2;
        line++;
        continue;
      }
      int w = 0;
      while (true) {
        if (i + 1 < end && text[i] == '0' && (text[i + 1] | 0x20) == 'x') {
          i += 2;
        }
        int digitsStart = i;
        int v = 0;
        while (i < end) {
          int d = HEX[text[i] & 0xff];
          if (d < 0) {
            break;
          }
          if (i - digitsStart == 8) {
            throw malformed(line, i - lineStart, "word " + w + " has more than 8 hex digits");
          }
          v = (v << 4) | d;
          i++;
        }
        if (i == digitsStart) {
          throw malformed(line, i - lineStart, "expected a hex digit for word " + w + ", found "
              + (i < end ? describe(text[i]) : "the end"));
        }
        if (w < nw) {
          and[w] &= v;
          or[w] |= v;
        }
        w++;
        if (i == end) {
          break;
        }
        int s = text[i];
        if (s == ':' || s == '-') {
          i++;
          if (i == end) {
            throw malformed(line, i - lineStart,
                "expected word " + w + " after '" + (char) s + "', found the end");
          }
          continue;
        }
        while (s == ' ' || s == '\t') {
          if (++i == end) {
            break;
          }
          s = text[i];
        }
        if (i == end) {
          break;
        }
        if (s == '\n') {
          i++;
          break;
        }
        if (s == '\r' && i + 1 < end && text[i + 1] == '\n') {
          i += 2;
          break;
        }
        throw malformed(line, i - lineStart,
            "expected ':' or '-' after word " + (w - 1) + ", found " + describe(text[i]));
      }
      if (w < common) {
        common = w;
      }
      hosts++;
      line++;
    }
    if (hosts == 0) {
      throw new LevelException(LevelException.Reason.NO_HOSTS, "no featureset lines to level");
    }
    int[] r = new int[nw];
    for (int k = 0; k < nw; k++) {
      int a = k < common ? and[k] : 0;
      r[k] = accumulate ? a | (or[k] & simpleOr[k]) : a;
    }
    return table.sanitise(Featureset.of(r));
  }

  private static LevelException malformed(int line, int col0, String what) {
    return new LevelException(LevelException.Reason.MALFORMED_FEATURESET,
        "line " + line + ", column " + (col0 + 1) + ": " + what);
  }

  private static String describe(byte b) {
    int c = b & 0xff;
    if (c == '\n') {
      return "the end of the line";
    }
    if (c >= 0x20 && c < 0x7f) {
      return "'" + (char) c + "'";
    }
    return String.format("byte 0x%02x", c);
  }
}
