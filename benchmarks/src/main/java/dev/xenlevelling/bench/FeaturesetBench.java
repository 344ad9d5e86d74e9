package dev.xenlevelling.bench;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
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
 * Sanitise and AND-ing N featuresets, next to the floor: the same AND as a plain loop over int
 * arrays. Report ns per featureset (score / n for the N-wide benchmarks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeaturesetBench {
  @Param({"1000"})
  int n;

  private final FeatureTable table = FeatureTable.latest();
  private Featureset[] sets;
  private int[][] raw;
  private java.util.List<Featureset> setList;

  /** Makes n random 19-word featuresets, dense like a real host's. */
  @Setup
  public void setup() {
    SplittableRandom rnd = new SplittableRandom(42);
    sets = new Featureset[n];
    raw = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] w = new int[19];
      for (int j = 0; j < w.length; j++) {
        w[j] = rnd.nextInt() | rnd.nextInt();
      }
      sets[i] = Featureset.of(w);
      raw[i] = w;
    }
    setList = java.util.List.of(sets);
  }

  /** Returns one featureset sanitised (ns per featureset). */
  @Benchmark
  public Featureset sanitiseOne() {
    return table.sanitise(sets[17]);
  }

  /** Returns the AND of n featuresets through the immutable API. */
  @Benchmark
  public Featureset andN() {
    Featureset acc = sets[0];
    for (int i = 1; i < n; i++) {
      acc = acc.and(sets[i]);
    }
    return acc;
  }

  /** Returns the AND of n featuresets through {@code Featureset.andAll}, one accumulator array. */
  @Benchmark
  public Featureset andAllN() {
    return Featureset.andAll(setList);
  }

  /** Returns the AND of n featuresets as a plain loop over int arrays (the floor). */
  @Benchmark
  public int[] andNPlainLoop() {
    int[] acc = raw[0].clone();
    for (int i = 1; i < n; i++) {
      int[] w = raw[i];
      for (int j = 0; j < acc.length; j++) {
        acc[j] &= w[j];
      }
    }
    return acc;
  }
}
