/**
 * Readers of the text that Xen's own tools print about CPU policies, shared by the simulated
 * hypervisor (which boots a host from such text) and xl-lib (which reads a pool member's system
 * policies from it): pure parsing into the policy library's values, no hypervisor state.
 *
 * <p>Entry point: {@link dev.xenlevelling.xc.policy.text.XenCpuidPrintout#parse}, the blocks of
 * {@code xen-cpuid -p} output, failing with a
 * {@link dev.xenlevelling.xc.policy.text.XenCpuidPrintoutException} that names file, line and
 * column.
 */
package dev.xenlevelling.xc.policy.text;
