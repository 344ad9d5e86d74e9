package dev.xenlevelling.xl.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.domain.GuestType;
import dev.xenlevelling.xl.policyfile.FeatureSetting;
import dev.xenlevelling.xl.policyfile.PolicyFile;
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
 * The merge order as an invariant: over random settings of random features in every layer (policy
 * setting, vm.cpuid, vm.pv.cpuid or vm.hvm.cpuid as the guest type's, domain cpuid=, command
 * line, which replaces the domain's cpuid= as xl's KEY=VALUE does) and for every guest type,
 * each bit is the last layer's that set it, the other type's vm.*.cpuid never decides, and the
 * merged cpuid= says so.
 */
class CpuidMergePropertiesTest {
  /** Features of the test host outside the build options (which have their own rule). */
  static final List<String> FEATURES = List.of("fpu", "sse", "sse2", "avx", "avx2", "avx512f",
      "hle", "rtm", "xsave", "pse36");
  /**
   * Per layer (policy setting, vm.cpuid, vm.TYPE.cpuid, domain, command line, and last the other
   * type's vm.OTHER.cpuid, which must never decide), per feature: absent or 0 1 k s.
   */
  static final int LAYERS = 5;

  @Provide
  Arbitrary<List<List<Character>>> layers() {
    Arbitrary<Character> c = Arbitraries.of('-', '-', '0', '1', 'k', 's');
    return c.list().ofSize(FEATURES.size()).list().ofSize(LAYERS + 1);
  }

  /** Returns the merge input of {@code layers} for a guest of {@code type}. */
  static MergeInput input(GuestType type, Optional<TypePolicy> tp, String vmCpuid, String vmPv,
      String vmHvm, String domain, String commandLine) throws Exception {
    XlConf conf = new XlConf("xl.conf", CpuidMergeTest.setting("vm.cpuid", vmCpuid),
        CpuidMergeTest.setting("vm.pv.cpuid", vmPv), CpuidMergeTest.setting("vm.hvm.cpuid", vmHvm),
        Optional.empty(), false);
    dev.xenlevelling.xc.abi.DomainType pt = type.policyType();
    Optional<LoadedPolicy> policy = tp.map(t -> new LoadedPolicy("pool.yaml", new PolicyFile(
        Vendor.INTEL, ImmutableSortedMap.of(pt, t), Optional.empty())));
    return new MergeInput(CpuidMergeTest.T, type, true, false, false, false, false, false,
        CpuidMergeTest.ALL, CpuidMergeTest.ALL, CpuidMergeTest.DEFAULT_LIMITS, policy, conf,
        CpuidMergeTest.list(domain), CpuidMergeTest.list(commandLine), "d.cfg");
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
  void merge_eachBitIsTheLastLayersThatSetIt(@ForAll("layers") List<List<Character>> layers,
      @ForAll GuestType type) throws Exception {
    Map<String, FeatureSetting> settings = new LinkedHashMap<>();
    for (int i = 0; i < FEATURES.size(); i++) {
      char c = layers.get(0).get(i);
      if (c != '-') {
        settings.put(FEATURES.get(i), FeatureSetting.ofCode(String.valueOf(c)).orElseThrow());
      }
    }
    Optional<TypePolicy> tp = Optional.of(new TypePolicy(CpuidMergeTest.ALL,
        ImmutableMap.copyOf(settings), Optional.empty(), PolicyLimits.NONE));
    boolean pv = type == GuestType.PV;
    String mine = libxl(layers.get(2));
    String other = libxl(layers.get(LAYERS));
    // As xl: KEY=VALUE on the command line is a line appended to the config, so a command-line
    // cpuid= replaces the file's: the domain's list is the command line's, which it then names.
    String cmd = libxl(layers.get(4));
    String domain = cmd.isEmpty() ? libxl(layers.get(3)) : cmd;
    if (!cmd.isEmpty()) {
      layers = new java.util.ArrayList<>(layers);
      layers.set(3, java.util.Collections.nCopies(FEATURES.size(), '-'));
    }
    CpuidPlan p = CpuidMerge.merge(input(type, tp, libxl(layers.get(1)), pv ? mine : other,
        pv ? other : mine, domain, cmd));
    List<Layer> order = List.of(Layer.POLICY, Layer.XL_CONF, Layer.XL_CONF_TYPE, Layer.DOMAIN,
        Layer.COMMAND_LINE);
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
        // No layer set it (the other type's key never counts); only a build option may (pae/htt
        // share a register with pse36).
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
