/**
 * The libxl layer: {@link dev.xenlevelling.xl.Libxl} (create, list, destroy, host info, a
 * domain's policy) over the libxc facade, with the toolstack's own record of domains (the
 * xenstore analogue) and the per-bit report of what the hypervisor clamped.
 *
 * <p>The front ends' entry points: {@link dev.xenlevelling.xl.CreateRequest} ({@code xl create}'s
 * arguments, validated, and its config file read), {@link dev.xenlevelling.xl.CreateResult}
 * (what it prints), {@link dev.xenlevelling.xl.ListOutput} ({@code xl list}'s lines and JSON);
 * a request a command refuses is a {@link dev.xenlevelling.xl.UsageException}.
 *
 * <p>Sub-packages: {@code config} (libxlutil's xl.cfg grammar), {@code domain} (xl_parse.c's
 * meaning of keys), {@code cpuid} (libxl's cpuid= parsers), {@code json} (yajl's output),
 * {@code defaults} (xl.conf's host-wide CPU defaults), {@code level} (pool levelling),
 * {@code hostdump} (host dumps in), {@code policyfile} (policy files) and {@code pool} (the work
 * of {@code xl cpu-level} and {@code xl cpu-compat}).
 */
package dev.xenlevelling.xl;
