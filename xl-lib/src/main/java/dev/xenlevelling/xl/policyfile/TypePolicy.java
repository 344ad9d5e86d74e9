package dev.xenlevelling.xl.policyfile;

import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.Optional;

/**
 * A policy file's section for one guest type ({@code pv:} or {@code hvm:}).
 *
 * @param featureset the levelled ceiling: a guest of this type gets nothing outside it
 * @param features per-feature settings by xen-cpuid name, in file order
 * @param cpuid a cpuid= setting kept as text, if any
 * @param limits the non-flag limits
 */
public record TypePolicy(
    Featureset featureset,
    ImmutableMap<String, FeatureSetting> features,
    Optional<CpuidText> cpuid,
    PolicyLimits limits) {}
