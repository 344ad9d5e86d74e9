package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;

import com.google.common.primitives.ImmutableIntArray;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU features as Xen's featureset: an array of 32-bit words where feature
 * number {@code word * 32 + bit} is bit {@code bit} of word {@code word}.
 *
 * <p>A featureset remembers how many words it was made with ({@link #length()}), which is how it
 * prints, but equality is set equality: trailing zero words do not matter, so a 9-word featureset
 * from Xen 4.7 equals the same bits zero-extended to the latest 19 words. Bits past the feature
 * table are kept as they are ("unknown bits"); nothing here drops them. Set algebra returns new
 * instances whose length is the longer of the two operands.
 */
public final class Featureset {
  /** Bits in one featureset word. */
  public static final int BITS_PER_WORD = 32;

  private static final int[] NO_WORDS = new int[0];
  private static final Featureset EMPTY = new Featureset(NO_WORDS);

  private final int[] words;

  private Featureset(int[] words) {
    this.words = words;
  }

  /** Returns the empty featureset of no words. */
  public static Featureset empty() {
    return EMPTY;
  }

  /** Returns a featureset of {@code nrWords} zero words. */
  public static Featureset zero(int nrWords) {
    checkArgument(nrWords >= 0, "nrWords (%s) must be >= 0", nrWords);
    return nrWords == 0 ? EMPTY : new Featureset(new int[nrWords]);
  }

  /** Returns the featureset with these words (word 0 first). */
  public static Featureset of(int... words) {
    return words.length == 0 ? EMPTY : new Featureset(words.clone());
  }

  /** Returns the featureset with these words (word 0 first). */
  public static Featureset of(ImmutableIntArray words) {
    return words.isEmpty() ? EMPTY : new Featureset(words.toArray());
  }

  /**
   * Returns the featureset of {@code nrWords} words with exactly these feature numbers set.
   *
   * @throws IllegalArgumentException if a feature number is negative or past {@code nrWords}
   */
  public static Featureset ofFeatures(int nrWords, int... features) {
    int[] w = new int[nrWords];
    for (int f : features) {
      checkArgument(f >= 0 && f < nrWords * BITS_PER_WORD,
          "feature (%s) must be in [0, %s)", f, nrWords * BITS_PER_WORD);
      w[f >>> 5] |= 1 << (f & 31);
    }
    return new Featureset(w);
  }

  /** Wraps an array the caller gives up; package-private so outsiders cannot keep a reference. */
  static Featureset wrap(int[] words) {
    return words.length == 0 ? EMPTY : new Featureset(words);
  }

  /**
   * Returns the featureset written in xen-cpuid's form, as {@link FeaturesetParser#parse}: words
   * of 1 to 8 hex digits, each with an optional {@code 0x}, separated by {@code :} or {@code -}.
   *
   * @throws FeaturesetFormatException naming the column and what was expected
   */
  public static Featureset parse(CharSequence text) throws FeaturesetFormatException {
    return FeaturesetParser.parse(text);
  }

  /** Returns the number of words this featureset was made with. */
  public int length() {
    return words.length;
  }

  /** Returns word {@code index}; words past {@link #length()} read as zero. */
  public int word(int index) {
    checkArgument(index >= 0, "word index (%s) must be >= 0", index);
    return index < words.length ? words[index] : 0;
  }

  /** Returns the words, word 0 first. */
  public ImmutableIntArray words() {
    return ImmutableIntArray.copyOf(words);
  }

  /** Returns a copy of the words as a fresh array, word 0 first. */
  public int[] toArray() {
    return words.clone();
  }

  /** Returns whether feature number {@code feature} (word * 32 + bit) is set. */
  public boolean contains(int feature) {
    checkArgument(feature >= 0, "feature (%s) must be >= 0", feature);
    int w = feature >>> 5;
    return w < words.length && (words[w] & (1 << (feature & 31))) != 0;
  }

  /** Returns this featureset with {@code feature} set, grown to hold it if need be. */
  public Featureset with(int feature) {
    checkArgument(feature >= 0, "feature (%s) must be >= 0", feature);
    int w = feature >>> 5;
    int[] copy = Arrays.copyOf(words, Math.max(words.length, w + 1));
    copy[w] |= 1 << (feature & 31);
    return new Featureset(copy);
  }

  /** Returns this featureset with {@code feature} clear; the length is unchanged. */
  public Featureset without(int feature) {
    checkArgument(feature >= 0, "feature (%s) must be >= 0", feature);
    int w = feature >>> 5;
    if (w >= words.length) {
      return this;
    }
    int[] copy = words.clone();
    copy[w] &= ~(1 << (feature & 31));
    return new Featureset(copy);
  }

  /** Returns the features in both sets. */
  public Featureset and(Featureset other) {
    int n = Math.max(words.length, other.words.length);
    int[] r = new int[n];
    int common = Math.min(words.length, other.words.length);
    for (int i = 0; i < common; i++) {
      r[i] = words[i] & other.words[i];
    }
    return new Featureset(r);
  }

  /**
   * Returns the features in every one of {@code sets} (of the longest length among them), in
   * one pass over a single array: what levelling a pool costs per host.
   *
   * @throws IllegalArgumentException if {@code sets} is empty (the AND of nothing is undefined)
   */
  public static Featureset andAll(Iterable<Featureset> sets) {
    int[] acc = null;
    int common = 0;
    int longest = 0;
    for (Featureset fs : sets) {
      int[] w = fs.words;
      longest = Math.max(longest, w.length);
      if (acc == null) {
        acc = w.clone();
        common = w.length;
        continue;
      }
      if (w.length < common) {
        common = w.length;
      }
      for (int i = 0; i < common; i++) {
        acc[i] &= w[i];
      }
    }
    checkArgument(acc != null, "andAll of no featuresets");
    int[] r = Arrays.copyOf(acc, longest);
    Arrays.fill(r, common, longest, 0);
    return wrap(r);
  }

  /** Returns the features in any of {@code sets} (the empty set for none). */
  public static Featureset orAll(Iterable<Featureset> sets) {
    int[] acc = NO_WORDS;
    for (Featureset fs : sets) {
      int[] w = fs.words;
      if (w.length > acc.length) {
        acc = Arrays.copyOf(acc, w.length);
      }
      for (int i = 0; i < w.length; i++) {
        acc[i] |= w[i];
      }
    }
    return wrap(acc == NO_WORDS ? NO_WORDS : acc);
  }

  /** Returns the features in either set. */
  public Featureset or(Featureset other) {
    int n = Math.max(words.length, other.words.length);
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = word0(i) | other.word0(i);
    }
    return new Featureset(r);
  }

  /** Returns the features in this set and not in {@code other}. */
  public Featureset andNot(Featureset other) {
    int n = Math.max(words.length, other.words.length);
    int[] r = new int[n];
    for (int i = 0; i < words.length; i++) {
      r[i] = words[i] & ~other.word0(i);
    }
    return new Featureset(r);
  }

  /** Returns the features in exactly one of the two sets. */
  public Featureset xor(Featureset other) {
    int n = Math.max(words.length, other.words.length);
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = word0(i) ^ other.word0(i);
    }
    return new Featureset(r);
  }

  /** Returns whether every feature of this set is in {@code other}. */
  public boolean isSubsetOf(Featureset other) {
    for (int i = 0; i < words.length; i++) {
      if ((words[i] & ~other.word0(i)) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether no feature is set. */
  public boolean isEmpty() {
    for (int w : words) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns the number of features set. */
  public int cardinality() {
    int c = 0;
    for (int w : words) {
      c += Integer.bitCount(w);
    }
    return c;
  }

  /** Returns the set feature numbers in ascending order. */
  public IntStream features() {
    return IntStream.range(0, words.length * BITS_PER_WORD).filter(this::contains);
  }

  /**
   * Returns this featureset with exactly {@code nrWords} words: cut (dropping the bits of the cut
   * words) or zero-extended.
   */
  public Featureset withLength(int nrWords) {
    checkArgument(nrWords >= 0, "nrWords (%s) must be >= 0", nrWords);
    return nrWords == words.length ? this : wrap(Arrays.copyOf(words, nrWords));
  }

  /** Returns the features set in words at or past {@code nrWords} (what {@link #withLength} would cut). */
  public Featureset beyond(int nrWords) {
    checkArgument(nrWords >= 0, "nrWords (%s) must be >= 0", nrWords);
    if (nrWords >= words.length) {
      return zero(0);
    }
    int[] r = words.clone();
    Arrays.fill(r, 0, nrWords, 0);
    return new Featureset(r);
  }

  /** Returns this featureset with word {@code index} replaced, grown to hold it if need be. */
  public Featureset withWord(int index, int value) {
    checkElementIndex(index, Integer.MAX_VALUE / BITS_PER_WORD, "word index");
    int[] copy = Arrays.copyOf(words, Math.max(words.length, index + 1));
    copy[index] = value;
    return new Featureset(copy);
  }

  /** Returns the words as xen-cpuid prints them: {@code %08x} joined by {@code :}. */
  public String format() {
    StringBuilder sb = new StringBuilder(words.length * 9);
    appendTo(sb);
    return sb.toString();
  }

  /** Appends {@link #format()} to {@code sb}. */
  public void appendTo(StringBuilder sb) {
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        sb.append(':');
      }
      appendHex8(sb, words[i]);
    }
  }

  static void appendHex8(StringBuilder sb, int v) {
    for (int shift = 28; shift >= 0; shift -= 4) {
      sb.append(Character.forDigit((v >>> shift) & 0xf, 16));
    }
  }

  private int word0(int i) {
    return i < words.length ? words[i] : 0;
  }

  private int significantLength() {
    int n = words.length;
    while (n > 0 && words[n - 1] == 0) {
      n--;
    }
    return n;
  }

  /** Returns whether {@code o} is a featureset with the same bits set (lengths may differ). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Featureset)) {
      return false;
    }
    Featureset other = (Featureset) o;
    int n = significantLength();
    if (n != other.significantLength()) {
      return false;
    }
    return Arrays.equals(words, 0, n, other.words, 0, n);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0, n = significantLength(); i < n; i++) {
      h = 31 * h + words[i];
    }
    return h;
  }

  /** Returns {@link #format()}. */
  @Override
  public String toString() {
    return format();
  }
}
