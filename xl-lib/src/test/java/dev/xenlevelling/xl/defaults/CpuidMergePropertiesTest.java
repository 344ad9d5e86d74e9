package dev.xenlevelling.xl.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xl.policyfile.FeatureSetting;
import dev.xenlevelling.xl.policyfile.PolicyLimits;
import dev.xenlevelling.xl.policyfile.TypePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The merge order as an invariant: over random settings of random features in every layer, each
 * bit is the last layer's that set it, and the merged cpuid= says so.
 */
class CpuidMergePropertiesTest {
  /** Features of the test host outside the build options (which have their own rule). */
  static final List<String> FEATURES = List.of("fpu", "sse", "sse2", "avx", "avx2", "avx512f",
      "hle", "rtm", "xsave", "pse36");
  /** Per layer (policy setting, vm.cpuid, vm.hvm.cpuid, domain), per feature: absent or 0 1 k s. */
  static final int LAYERS = 4;

  @Provide
  Arbitrary<List<List<Character>>> layers() {
    Arbitrary<Character> c = Arbitraries.of('-', '-', '0', '1', 'k', 's');
    return c.list().ofSize(FEATURES.size()).list().ofSize(LAYERS);
  }

  static String libxl(List<Character> settings) {
    StringBuilder sb = new StringBuilder("host");
    for (int i = 0; i < FEATURES.size(); i++) {
      if (settings.get(i) != '-') {
        sb.append(',').append(FEATURES.get(i)).append('=').append(settings.get(i));
      }
    }
    return sb.toString().equals("host") ? "" : sb.toString();
  }

  @Property(tries = 300)
  void merge_eachBitIsTheLastLayersThatSetIt(@ForAll("layers") List<List<Character>> layers)
      throws Exception {
    Map<String, FeatureSetting> settings = new LinkedHashMap<>();
    for (int i = 0; i < FEATURES.size(); i++) {
      char c = layers.get(0).get(i);
      if (c != '-') {
        settings.put(FEATURES.get(i), FeatureSetting.ofCode(String.valueOf(c)).orElseThrow());
      }
    }
    CpuidMergeTest.Layers l = new CpuidMergeTest.Layers(Optional.of(new TypePolicy(
        CpuidMergeTest.ALL, ImmutableMap.copyOf(settings), Optional.empty(), PolicyLimits.NONE)),
        libxl(layers.get(1)), "", libxl(layers.get(2)), libxl(layers.get(3)), "");
    CpuidPlan p = CpuidMerge.merge(CpuidMergeTest.input(l, false));
    List<Layer> order = List.of(Layer.POLICY, Layer.XL_CONF, Layer.XL_CONF_TYPE, Layer.DOMAIN);
    for (int i = 0; i < FEATURES.size(); i++) {
      Feature f = CpuidMergeTest.T.byName(FEATURES.get(i)).orElseThrow();
      BitKey k = BitKey.of(f, CpuidMergeTest.T);
      Optional<Decision> d = p.decision(k);
      int last = -1;
      for (int j = 0; j < LAYERS; j++) {
        if (layers.get(j).get(i) != '-') {
          last = j;
        }
      }
      if (last < 0) {
        // No layer set it; only a build option may (pae/htt share a register with pse36).
        d.ifPresent(x -> assertEquals(Decision.Rule.BUILD_OPTION, x.rule(), f.name()));
        continue;
      }
      assertEquals(order.get(last), d.orElseThrow().layer(), f.name());
      assertEquals(layers.get(last).get(i), d.get().value(), f.name());
      assertEquals(layers.get(last).get(i), CpuidMergeTest.charOf(p.merged(), k), f.name());
    }
    assertEquals(List.of(), p.warnings(), "the ceiling has every feature: nothing to warn about");
  }
}
