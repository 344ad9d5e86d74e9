package dev.xenlevelling.bench;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.FeaturesetFormatException;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xl.level.LevelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7's figure: level n hosts' featuresets in-process (parse their {@code %08x:...} lines,
 * combine, closure), next to two plain-loop floors: the same bytes through a bare hex loop with
 * no validation ANDed into one array, and the AND of n already-parsed arrays.
 *
 * <p>Run: {@code bin/bench PoolLevelBench -wi 3 -i 5 -w 1 -r 1}; the score is ms per pool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolLevelBench {
  private static final int[] HEX = new int[256];

  static {
    for (int c = 0; c < 10; c++) {
      HEX['0' + c] = c;
    }
    for (int c = 0; c < 6; c++) {
      HEX['a' + c] = 10 + c;
      HEX['A' + c] = 10 + c;
    }
  }

  @Param({"100000"})
  int n;

  private final FeatureTable table = FeatureTable.latest();
  private final FastLeveller fast = new FastLeveller(table);
  private byte[] text;
  private String textString;
  private int[][] parsed;

  /** Makes n lines of 19 dense random words, as xen-cpuid prints a featureset. */
  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(42);
    StringBuilder sb = new StringBuilder(n * 172);
    parsed = new int[n][19];
    for (int i = 0; i < n; i++) {
      for (int w = 0; w < 19; w++) {
        int v = rnd.nextInt() | rnd.nextInt() | rnd.nextInt() | rnd.nextInt();
        parsed[i][w] = v;
        if (w > 0) {
          sb.append(':');
        }
        sb.append(String.format("%08x", v));
      }
      sb.append('\n');
    }
    textString = sb.toString();
    text = textString.getBytes(StandardCharsets.US_ASCII);
  }

  /** Returns the levelled featureset of the n lines through the fast path (the figure). */
  @Benchmark
  public Featureset fastLevel() throws LevelException {
    return fast.level(text, 0, text.length);
  }

  /** Returns the same through {@code Featureset.parse} per line, andAll/orAll and sanitise. */
  @Benchmark
  public Featureset parseEachThenAndAll() throws FeaturesetFormatException {
    List<Featureset> sets = new ArrayList<>(n);
    int start = 0;
    for (int i = 0; i < textString.length(); i++) {
      if (textString.charAt(i) == '\n') {
        sets.add(Featureset.parse(textString.subSequence(start, i)));
        start = i + 1;
      }
    }
    Featureset or = Featureset.orAll(sets).and(table.mask(StaticMask.SIMPLE_OR));
    return table.sanitise(Featureset.andAll(sets).or(or));
  }

  /**
   * Returns the AND of the lines through a bare loop: a hex lookup table, no validation, no
   * OR, no closure (the parse floor).
   */
  @Benchmark
  public int[] floorHexLoopAnd() {
    int[] acc = new int[19];
    java.util.Arrays.fill(acc, -1);
    byte[] t = text;
    int w = 0;
    int v = 0;
    for (byte b : t) {
      if (b == ':' || b == '\n') {
        acc[w] &= v;
        v = 0;
        w = b == '\n' ? 0 : w + 1;
      } else {
        v = (v << 4) | HEX[b & 0xff];
      }
    }
    return acc;
  }

  /** Returns the AND of n already-parsed arrays (the combine floor). */
  @Benchmark
  public int[] floorAndParsed() {
    int[] acc = parsed[0].clone();
    for (int i = 1; i < n; i++) {
      int[] w = parsed[i];
      for (int j = 0; j < acc.length; j++) {
        acc[j] &= w[j];
      }
    }
    return acc;
  }
}
