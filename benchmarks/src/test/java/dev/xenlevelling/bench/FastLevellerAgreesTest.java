package dev.xenlevelling.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.PoolLeveller;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast path levels default featureset lines to the boot set {@link PoolLeveller} gives hosts
 * with those defaults (and every known feature as their max, so that no ceiling cuts the {@code |}
 * features): what it measures is what xl cpu-level computes.
 */
class FastLevellerAgreesTest {
  static final FeatureTable T = FeatureTable.latest();

  @Provide
  Arbitrary<List<Featureset>> defaults() {
    Arbitrary<Featureset> one = Arbitraries.integers().list().ofSize(T.nrWords())
        .map(words -> {
          int[] w = new int[words.size()];
          for (int i = 0; i < w.length; i++) {
            w[i] = words.get(i);
          }
          return Featureset.of(w).and(T.mask(StaticMask.HVM_HAP_MAX));
        });
    return one.list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 100)
  void fastPath_agreesWithLeveller(@ForAll("defaults") List<Featureset> defs) throws Exception {
    StringBuilder sb = new StringBuilder();
    List<HostCpu> pool = new ArrayList<>();
    Featureset known = T.mask(StaticMask.KNOWN);
    for (int i = 0; i < defs.size(); i++) {
      sb.append(defs.get(i).format()).append('\n');
      pool.add(HostCpu.builder("h" + i, Vendor.INTEL, "fp" + i)
          .guest(DomainType.HVM, defs.get(i), known, CpuLimits.UNKNOWN).build());
    }
    byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
    Featureset fast = new FastLeveller(T).level(text, 0, text.length);
    assertEquals(PoolLeveller.latest().level(pool).type(DomainType.HVM).orElseThrow().boot(), fast);
  }
}
