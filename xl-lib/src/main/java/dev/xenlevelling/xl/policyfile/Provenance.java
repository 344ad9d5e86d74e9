package dev.xenlevelling.xl.policyfile;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xl.level.HostRef;
import java.time.Instant;

/**
 * Where a policy came from: when, by what command, from which hosts (with their fingerprints, so
 * xl can tell when the current host no longer matches).
 *
 * @param created when the policy was computed (UTC, whole seconds in files)
 * @param command the command that computed it
 * @param hosts the pool members, never empty
 */
public record Provenance(Instant created, String command, ImmutableList<HostRef> hosts) {}
