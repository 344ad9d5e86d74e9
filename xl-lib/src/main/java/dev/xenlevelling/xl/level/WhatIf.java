package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import java.util.ArrayList;
import java.util.List;

/**
 * The what-if questions of pool levelling: what would change if a host joined or left the pool,
 * and which running domains could no longer move where.
 */
public final class WhatIf {
  private final PoolLeveller leveller;

  /** Creates the what-if questions over {@code leveller}. */
  public WhatIf(PoolLeveller leveller) {
    this.leveller = leveller;
  }

  /**
   * Returns what would change if {@code candidate} joined {@code pool}: features gained and lost,
   * and the running domains that could not move to the candidate.
   *
   * @throws LevelException if the pool, or the pool with the candidate, cannot be levelled (a
   *     candidate of another vendor, a name already in the pool)
   */
  public WhatIfReport joining(List<HostCpu> pool, HostCpu candidate, List<RunningDomain> domains)
      throws LevelException {
    LevelledPolicy before = leveller.level(pool);
    List<HostCpu> grown = new ArrayList<>(pool);
    grown.add(candidate);
    LevelledPolicy after = leveller.level(grown);
    ImmutableList.Builder<BlockedMove> blocked = ImmutableList.builder();
    for (RunningDomain d : domains) {
      blockedMove(d, candidate).ifPresent(blocked::add);
    }
    return new WhatIfReport(before, after, deltas(before, after), blocked.build());
  }

  /**
   * Returns what would change if {@code candidate} joined the pool whose levelled policy is
   * {@code policy} (when the members' dumps are not at hand): features gained and lost, and the
   * running domains that could not move to the candidate.
   *
   * @throws LevelException for a candidate of another vendor or already in the pool, or one that
   *     supports none of the policy's guest types
   */
  public WhatIfReport joining(LevelledPolicy policy, HostCpu candidate, List<RunningDomain> domains)
      throws LevelException {
    LevelledPolicy after = leveller.extend(policy, candidate);
    ImmutableList.Builder<BlockedMove> blocked = ImmutableList.builder();
    for (RunningDomain d : domains) {
      blockedMove(d, candidate).ifPresent(blocked::add);
    }
    return new WhatIfReport(policy, after, deltas(policy, after), blocked.build());
  }

  /**
   * Returns what would change if host {@code hostName} left {@code pool}: features gained and
   * lost, and which of the domains running on it could not move to which remaining host.
   *
   * @throws LevelException if the pool cannot be levelled, the host is not in it, or it is the
   *     only host
   */
  public WhatIfReport leaving(List<HostCpu> pool, String hostName, List<RunningDomain> domains)
      throws LevelException {
    LevelledPolicy before = leveller.level(pool);
    List<HostCpu> rest = new ArrayList<>(pool.size());
    for (HostCpu h : pool) {
      if (!h.name().equals(hostName)) {
        rest.add(h);
      }
    }
    if (rest.size() == pool.size()) {
      throw new LevelException(LevelException.Reason.NO_HOSTS,
          "host " + hostName + " is not in the pool");
    }
    if (rest.isEmpty()) {
      throw new LevelException(LevelException.Reason.NO_HOSTS,
          "host " + hostName + " is the only host: no host would be left");
    }
    LevelledPolicy after = leveller.level(rest);
    ImmutableList.Builder<BlockedMove> blocked = ImmutableList.builder();
    for (RunningDomain d : domains) {
      if (d.host().equals(hostName)) {
        for (HostCpu h : rest) {
          blockedMove(d, h).ifPresent(blocked::add);
        }
      }
    }
    return new WhatIfReport(before, after, deltas(before, after), blocked.build());
  }

  private java.util.Optional<BlockedMove> blockedMove(RunningDomain d, HostCpu to) {
    HostFitResult r = HostFit.check(leveller.table(), d.features(), d.limits(), to,
        d.type());
    if (r.compatible()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new BlockedMove(d.name(), to.name(), !r.typeSupported(),
        r.missing(), r.limitsExceeded()));
  }

  private ImmutableSortedMap<DomainType, FeatureDelta> deltas(
      LevelledPolicy before, LevelledPolicy after) {
    FeatureTable t = leveller.table();
    Featureset none = Featureset.empty();
    ImmutableSortedMap.Builder<DomainType, FeatureDelta> b = ImmutableSortedMap.naturalOrder();
    for (DomainType type : DomainType.values()) {
      if (before.type(type).isEmpty() && after.type(type).isEmpty()) {
        continue;
      }
      Featureset bb = before.type(type).map(LevelledType::boot).orElse(none);
      Featureset bc = before.type(type).map(LevelledType::ceiling).orElse(none);
      Featureset ab = after.type(type).map(LevelledType::boot).orElse(none);
      Featureset ac = after.type(type).map(LevelledType::ceiling).orElse(none);
      b.put(type, new FeatureDelta(type,
          HostFit.names(t, ab.andNot(bb)), HostFit.names(t, bb.andNot(ab)),
          HostFit.names(t, ac.andNot(bc)), HostFit.names(t, bc.andNot(ac))));
    }
    return b.buildOrThrow();
  }
}
