/**
 * The readers of CPU descriptions a simulated host boots from: {@link
 * dev.xenlevelling.xc.hv.cpu.CpuSources#load} (a libvirt CPUID dump, {@code xen-cpuid -p} output,
 * a YAML host profile, or this machine's CPU) into a {@link
 * dev.xenlevelling.xc.hv.cpu.CpuDescription}; {@link dev.xenlevelling.xc.hv.cpu.LeafText} is the
 * text of one leaf that profiles and the state directory share.
 */
package dev.xenlevelling.xc.hv.cpu;
