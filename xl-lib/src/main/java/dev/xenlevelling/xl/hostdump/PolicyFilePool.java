package dev.xenlevelling.xl.hostdump;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.LevelledType;
import dev.xenlevelling.xl.policyfile.FeatureSetting;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyLimits;
import dev.xenlevelling.xl.policyfile.TypePolicy;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A pool's levelled policy read back from its policy file, for the what-if questions when the
 * members' dumps are not at hand: per guest type the ceiling is the file's featureset and the
 * boot set the ceiling without the features set to {@code 0} (the inverse of
 * {@link PolicyFile#fromLevelled}); other settings ({@code 1 x k s}) and {@code cpuid=} text do
 * not change the boot set here, and the XSAVE size is unknown.
 */
public final class PolicyFilePool {
  private PolicyFilePool() {}

  /** Returns the levelled policy {@code file} records; hosts from its provenance, if any. */
  public static LevelledPolicy levelled(PolicyFile file) {
    FeatureTable table = FeatureTable.latest();
    ImmutableSortedMap.Builder<DomainType, LevelledType> types = ImmutableSortedMap.naturalOrder();
    for (Map.Entry<DomainType, TypePolicy> e : file.types().entrySet()) {
      TypePolicy tp = e.getValue();
      Featureset ceiling = tp.featureset();
      Featureset boot = ceiling;
      for (Map.Entry<String, FeatureSetting> s : tp.features().entrySet()) {
        if (s.getValue() == FeatureSetting.OFF) {
          int f = table.byName(s.getKey()).orElseThrow().index();
          boot = boot.without(f);
        }
      }
      PolicyLimits l = tp.limits();
      types.put(e.getKey(), new LevelledType(e.getKey(), table.sanitise(boot), ceiling,
          new CpuLimits(l.maxLeaf(), l.leaf7MaxSubleaf(), l.extdMaxLeaf(), l.maxPhysAddr(),
              OptionalInt.empty())));
    }
    ImmutableList<HostRef> hosts = file.provenance().map(p -> p.hosts()).orElse(ImmutableList.of());
    return new LevelledPolicy(file.vendor(), types.buildOrThrow(), hosts, ImmutableList.of());
  }
}
