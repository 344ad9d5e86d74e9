package dev.xenlevelling.xl.level;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;

/**
 * A running domain as the what-if questions see it.
 *
 * @param name the domain's name
 * @param type its guest type
 * @param features its featureset (from its host's dump)
 * @param host the host it runs on
 * @param limits its non-flag limits, where its dump has them
 */
public record RunningDomain(String name, DomainType type, Featureset features, String host,
    CpuLimits limits) {

  /** Returns a running domain whose limits are not known. */
  public RunningDomain(String name, DomainType type, Featureset features, String host) {
    this(name, type, features, host, CpuLimits.UNKNOWN);
  }
}
