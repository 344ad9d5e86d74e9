package dev.xenlevelling.xl.defaults;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.domain.GuestType;
import dev.xenlevelling.xl.level.CpuLimits;
import java.util.Optional;

/**
 * Everything the merge of a new domain's CPUID request reads.
 *
 * @param table the hypervisor's feature table
 * @param type the domain's type
 * @param pae libxl's build option: PAE for an HVM guest
 * @param itsc libxl's build option: an invariant TSC
 * @param nested libxl's build option: nested virtualisation (vmx/svm) for an HVM guest
 * @param paeExplicit whether the domain config sets {@code pae} itself
 * @param itscExplicit whether it sets {@code tsc_mode} or {@code disable_migrate} (itsc)
 * @param nestedExplicit whether it sets {@code nestedhvm}
 * @param hostFeatures the host featureset
 * @param typeMax the max featureset of the domain's type on this host
 * @param defaultLimits the non-flag limits of the domain type's default policy on this host
 * @param policy the policy file xl.conf names, if any
 * @param xlConf xl.conf's CPU keys
 * @param domain the domain's cpuid= (the file's and the command line's, merged as xl merges them)
 * @param commandLine the cpuid= of the command line alone (empty when it sets none)
 * @param domainSource the domain config's file name
 */
record MergeInput(
    FeatureTable table,
    GuestType type,
    boolean pae,
    boolean itsc,
    boolean nested,
    boolean paeExplicit,
    boolean itscExplicit,
    boolean nestedExplicit,
    Featureset hostFeatures,
    Featureset typeMax,
    CpuLimits defaultLimits,
    Optional<LoadedPolicy> policy,
    XlConf xlConf,
    CpuidPolicyList domain,
    CpuidPolicyList commandLine,
    String domainSource) {}
