/**
 * The simulated hypervisor, behind the libxc facade: boot-time policy derivation ({@link
 * dev.xenlevelling.xc.hv.Host#boot}, as Xen's {@code calculate_*_policy}), the sysctl and domctl
 * operations ({@link dev.xenlevelling.xc.hv.Hypervisor}), a domain's policy recalculation and
 * clamp ({@code Recalculate}, as {@code recalculate_cpuid_policy}), leaf 0xd ({@code Xstate}, as
 * {@code recalculate_xstate}), PV masking ({@code PvMasks}),
 * levelling caps ({@code LevellingProbe}), Xen's command line ({@link
 * dev.xenlevelling.xc.hv.BootOptions}) and the domain table ({@link
 * dev.xenlevelling.xc.hv.DomainStore}). Only the facade and the xensim console use it; the CPU
 * description readers are in {@link dev.xenlevelling.xc.hv.cpu}, the state directory in {@link
 * dev.xenlevelling.xc.hv.state}.
 */
package dev.xenlevelling.xc.hv;
