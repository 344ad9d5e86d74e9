/**
 * Host-wide default CPU policies: xl.conf's {@code vm.cpuid*} keys and the policy file it names,
 * merged with a domain's {@code cpuid=} in a fixed order of layers, with every decision traced to
 * its layer (explain) and the policy checked against the current host (stale, vendor).
 */
package dev.xenlevelling.xl.defaults;
