/**
 * The libxl layer: {@link dev.xenlevelling.xl.Libxl} (create, list, destroy, host info, a
 * domain's policy) over the libxc facade, with the toolstack's own record of domains (the
 * xenstore analogue) and the per-bit report of what the hypervisor clamped.
 *
 * <p>Sub-packages: {@code config} (libxlutil's xl.cfg grammar), {@code domain} (xl_parse.c's
 * meaning of keys), {@code cpuid} (libxl's cpuid= parsers) and {@code json} (yajl's output).
 */
package dev.xenlevelling.xl;
