package dev.xenlevelling.xc.hv;

import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;

/**
 * Everything a simulated host boots from: the CPU, Xen's command line and the microcode.
 *
 * @param cpu the CPU
 * @param cmdline Xen's command line (see {@link BootOptions})
 * @param microcode the microcode level the CPU runs
 */
public record BootConfig(CpuDescription cpu, String cmdline, Microcode microcode) {}
