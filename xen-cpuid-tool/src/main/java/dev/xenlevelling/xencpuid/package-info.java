/**
 * The {@code xen-cpuid} command, a libxc-level tool as in Xen (tools/misc/xen-cpuid.c): it sees
 * the hypervisor only through xc-core's facade {@code XcInterface}.
 *
 * <p>Entry points: {@code Main.main} (the process) and
 * {@link dev.xenlevelling.xencpuid.Main#run} (in-process, for tests). The options are read
 * by {@code CommandLine} over glibc's {@code getopt_long} ({@code GetoptLong}); interpret mode
 * decodes featuresets ({@code FeaturesetScanner}, {@code NameTable}, {@code Printer}); info,
 * detail, {@code -p} and {@code --levelling} read the booted host ({@code HostModes},
 * {@code LevellingCapsText}); {@code --json} writes the host dump ({@code JsonDump}).
 */
package dev.xenlevelling.xencpuid;
