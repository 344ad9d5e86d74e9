/**
 * libxl's {@code cpuid=} parsing: the string form ({@code libxl_cpuid_parse_config}) and the xend
 * list form ({@code libxl_cpuid_parse_config_xend}) with every quirk of the real code (glibc's
 * strtoul, {@link dev.xenlevelling.xc.util.Strtol#strtoul}, values cut to their low bits, the family/model splits, MSR single characters, leaf 0xffffffff
 * as the list terminator), the names as data ({@code libxl-cpuid-names.csv}: the latest Xen's 331,
 * of which Xen 4.17.7 accepts 276), and libxl's JSON of the result.
 */
package dev.xenlevelling.xl.cpuid;
