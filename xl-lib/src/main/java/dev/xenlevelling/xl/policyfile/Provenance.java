package dev.xenlevelling.xl.policyfile;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xl.level.HostRef;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a policy came from: when, by what command, from which hosts (with their fingerprints, so
 * xl can tell when the current host no longer matches, and, when recorded, the featuresets each
 * host offered, so xl can say which host lacks a feature and what a host lost since).
 *
 * @param created when the policy was computed (UTC, whole seconds in files)
 * @param command the command that computed it
 * @param hosts the pool members, never empty
 * @param featuresets per host name, the featuresets it offered; hosts without a record are absent
 */
public record Provenance(Instant created, String command, ImmutableList<HostRef> hosts,
    ImmutableMap<String, HostFeaturesets> featuresets) {

  /** Returns the provenance of hosts whose featuresets are not recorded. */
  public Provenance(Instant created, String command, ImmutableList<HostRef> hosts) {
    this(created, command, hosts, ImmutableMap.of());
  }

  /** Returns the featuresets recorded for host {@code name}, if any. */
  public Optional<HostFeaturesets> featuresets(String name) {
    return Optional.ofNullable(featuresets.get(name));
  }
}
