/**
 * The libxc facade: {@link dev.xenlevelling.xc.XcInterface}, the only door to the simulated
 * hypervisor, as Xen's {@code xc_interface} (libxenctrl/libxenguest). Every caller outside xc-core
 * (xl-lib, xen-cpuid, the tests) opens or boots a host through it and speaks the vocabulary of
 * {@link dev.xenlevelling.xc.abi}; errors are {@link dev.xenlevelling.xc.XcException} with libxc's
 * errno.
 *
 * <p>Entry points: {@link dev.xenlevelling.xc.XcInterface#open()} (the host of the environment),
 * {@link dev.xenlevelling.xc.XcInterface#open(java.nio.file.Path)},
 * {@link dev.xenlevelling.xc.XcInterface#bootInMemory(String, java.nio.file.Path, String,
 * java.util.Optional)}; {@link dev.xenlevelling.xc.XendCpuid} / {@link dev.xenlevelling.xc.XendMsr}
 * (the {@code xc_xend_cpuid} override strings libxl hands over), {@link
 * dev.xenlevelling.xc.HostFingerprint} and {@link dev.xenlevelling.xc.LevellingCapNames}.
 */
package dev.xenlevelling.xc;
