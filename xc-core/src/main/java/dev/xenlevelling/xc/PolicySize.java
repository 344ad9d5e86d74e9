package dev.xenlevelling.xc;

/**
 * The most leaves and MSRs a serialised CPU policy has ({@code xc_cpu_policy_get_size}).
 *
 * @param nrLeaves CPUID_MAX_SERIALISED_LEAVES
 * @param nrMsrs MSR_MAX_SERIALISED_ENTRIES
 */
public record PolicySize(int nrLeaves, int nrMsrs) {}
