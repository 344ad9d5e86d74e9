package dev.xenlevelling.xl.level;

import dev.xenlevelling.xc.policy.Featureset;

/**
 * What one host offers one guest type: Xen's default featureset (what a new guest gets, from
 * {@code pv_def}/{@code hvm_def}), its max featureset (what a guest may be given or migrate in
 * with, from {@code pv_max}/{@code hvm_max}) and the non-flag limits.
 *
 * @param defaultFeatures the default featureset, of any length
 * @param maxFeatures the max featureset, of any length
 * @param limits the non-flag limits of this type's policy
 */
public record GuestCpu(Featureset defaultFeatures, Featureset maxFeatures, CpuLimits limits) {}
