/**
 * The pure x86 CPU policy library, as Xen's {@code xen/lib/x86} and {@code gen-cpuid.py}: no
 * hypervisor state, no I/O beyond the built-in feature table.
 *
 * <p>Entry points:
 *
 * <ul>
 *   <li>{@link dev.xenlevelling.xc.policy.FeatureTable#latest()}: the feature table (cpufeatureset.h
 *       with gen-cpuid.py's derived masks and deep dependencies), names, words and
 *       {@link dev.xenlevelling.xc.policy.StaticMask static masks};
 *   <li>{@link dev.xenlevelling.xc.policy.Featureset}: a featureset and its set algebra, parsed and
 *       formatted as xen-cpuid's colon-separated hex words;
 *   <li>{@link dev.xenlevelling.xc.policy.CpuPolicy}: a whole {@code struct cpu_policy} with its
 *       {@link dev.xenlevelling.xc.policy.CpuPolicy.Builder Builder}, its serialised leaves and
 *       MSRs ({@link dev.xenlevelling.xc.policy.CpuPolicy#toLeaves()},
 *       {@link dev.xenlevelling.xc.policy.CpuPolicy#fromLeaves}) and its featureset;
 *   <li>{@link dev.xenlevelling.xc.policy.Compatibility#check}: Xen's
 *       {@code x86_cpu_policies_are_compatible}, answering a
 *       {@link dev.xenlevelling.xc.policy.CompatibilityReport} of
 *       {@link dev.xenlevelling.xc.policy.Incompatibility} reasons.
 * </ul>
 *
 * <p>The rest is their vocabulary: {@link dev.xenlevelling.xc.policy.CpuidLeaf},
 * {@link dev.xenlevelling.xc.policy.MsrEntry}, {@link dev.xenlevelling.xc.policy.Register},
 * {@link dev.xenlevelling.xc.policy.Vendor}, {@link dev.xenlevelling.xc.policy.Feature},
 * {@link dev.xenlevelling.xc.policy.FeatureWord}, {@link dev.xenlevelling.xc.policy.Attribute}, and
 * the errors {@link dev.xenlevelling.xc.policy.PolicyException} ({@link
 * dev.xenlevelling.xc.policy.Errno} and {@link dev.xenlevelling.xc.policy.PolicyError}, as the
 * hypervisor answers) and {@link dev.xenlevelling.xc.policy.FeaturesetFormatException}.
 * Package-private helpers do the work one Xen file's job each: {@code FeatureTableLoader} (the
 * reader and gen-cpuid.py's checks), {@code FeatureTableCsv} (its tokenizer),
 * {@code FeatureTableDerivation} (gen-cpuid.py's {@code crunch_numbers}), {@code PolicyLayout}
 * (the policy's arrays and their limits), {@code PolicySerialiser}
 * ({@code x86_cpuid_copy_to_buffer}/{@code copy_from_buffer}) and {@code FeaturesetConversion}
 * ({@code x86_cpu_policy_to_featureset}/{@code featureset_to_policy}).
 */
package dev.xenlevelling.xc.policy;
