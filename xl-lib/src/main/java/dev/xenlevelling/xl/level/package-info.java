/**
 * Pool levelling: the hypervisor-independent core of {@code xl cpu-level}. Hosts' default and max
 * featuresets in ({@link dev.xenlevelling.xl.level.HostCpu}), one policy under which every guest
 * can boot anywhere and migrate anywhere out ({@link dev.xenlevelling.xl.level.LevelledPolicy}),
 * with the explanations (which host removed which feature, what each host costs the pool), the
 * what-if questions and the fit of one domain against one host.
 *
 * <p>Entry points: {@link dev.xenlevelling.xl.level.PoolLeveller} ({@code level},
 * {@code levelPerVendor}, {@code explain}), {@link dev.xenlevelling.xl.level.WhatIf},
 * {@link dev.xenlevelling.xl.level.HostFit} and {@link dev.xenlevelling.xl.level.PolicyText}
 * (JSON and cpuid= output). The policy types are {@link dev.xenlevelling.xc.abi.DomainType}
 * (pv, hvm) and the vendors {@link dev.xenlevelling.xc.policy.Vendor} (never its
 * {@code UNKNOWN}: a host of a vendor Xen does not know is refused).
 */
package dev.xenlevelling.xl.level;
