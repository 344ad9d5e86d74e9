/**
 * Small helpers the C tools' mirrors share: {@link dev.xenlevelling.xc.util.Strtol} (glibc's
 * {@code strtol}/{@code strtoul} with base 0, as xen-cpuid and libxl read numbers).
 */
package dev.xenlevelling.xc.util;
