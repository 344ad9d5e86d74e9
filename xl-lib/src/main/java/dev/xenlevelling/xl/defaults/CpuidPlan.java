package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.policyfile.TypePolicy;
import java.util.Optional;

/**
 * The merged CPUID request of a new domain: the cpuid= list libxl hands to libxc, which layer set
 * each bit, and the warnings of the merge.
 *
 * @param merged the per-register override strings of every layer, later layers winning bit by bit
 * @param decisions per overridden bit, the layer that set it (bits no layer set are absent: the
 *     default policy's)
 * @param policy the policy file, when one applies to this guest type
 * @param typePolicy the policy's section for this guest type, when one applies
 * @param warnings one line per feature a layer after the policy turned on although the policy
 *     removed it, naming the hosts the domain could not move to
 */
public record CpuidPlan(
    CpuidPolicyList merged,
    ImmutableMap<BitKey, Decision> decisions,
    Optional<LoadedPolicy> policy,
    Optional<TypePolicy> typePolicy,
    ImmutableList<String> warnings) {

  /** Returns which layer set bit {@code k}, if one did. */
  public Optional<Decision> decision(BitKey k) {
    return Optional.ofNullable(decisions.get(k));
  }

  /** Returns the policy's ceiling for this guest type, when a policy applies. */
  public Optional<Featureset> ceiling() {
    return typePolicy.map(TypePolicy::featureset);
  }
}
