/**
 * The vocabulary callers of the libxc facade need, as Xen's {@code xen/include/public}: sysctl
 * and domctl indices ({@link dev.xenlevelling.xc.abi.FeaturesetIndex}, {@link
 * dev.xenlevelling.xc.abi.PolicyIndex}), domain facts ({@link dev.xenlevelling.xc.abi.DomainType},
 * {@link dev.xenlevelling.xc.abi.DomainInfo}), host facts ({@link dev.xenlevelling.xc.abi.Physinfo},
 * {@link dev.xenlevelling.xc.abi.VirtCap}, {@link dev.xenlevelling.xc.abi.LevellingCaps}, {@link
 * dev.xenlevelling.xc.abi.LevelCap}), what Xen's clamp changed ({@link
 * dev.xenlevelling.xc.abi.ClampReport}), how a PV domain is levelled ({@link
 * dev.xenlevelling.xc.abi.PvLevelling}), and the simulated CPU's {@link
 * dev.xenlevelling.xc.abi.Microcode}. Values only: nothing here depends on the hypervisor.
 */
package dev.xenlevelling.xc.abi;
