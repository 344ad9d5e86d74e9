/**
 * Host-wide default CPU policies: xl.conf's {@code vm.cpuid*} keys and the policy file it names,
 * merged with a domain's {@code cpuid=} in a fixed order of layers, with every decision traced to
 * its layer (explain) and the policy checked against the current host (stale, vendor).
 *
 * <p>Entry points: {@link dev.xenlevelling.xl.defaults.XlConf#load} (xl.conf) and
 * {@link dev.xenlevelling.xl.defaults.HostDefaults#prepare} (the pipeline of one new domain:
 * the policy read and checked, the merge, the {@link dev.xenlevelling.xl.defaults.DefaultsReport}).
 */
package dev.xenlevelling.xl.defaults;
