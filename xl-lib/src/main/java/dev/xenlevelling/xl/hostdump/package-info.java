/**
 * Host dumps in, {@link dev.xenlevelling.xl.level.HostCpu} out: the input adapters of
 * {@code xl cpu-level}. Reads this project's {@code xen-cpuid --json}, the text real
 * {@code xen-cpuid} prints (info/detail and {@code -p}) and libvirt's CPUID dumps (booted through
 * the simulated hypervisor to get Xen's default and max sets), telling them apart by content.
 */
package dev.xenlevelling.xl.hostdump;
