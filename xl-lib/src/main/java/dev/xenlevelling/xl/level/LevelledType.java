package dev.xenlevelling.xl.level;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;

/**
 * The pool's policy for one guest type.
 *
 * @param type the guest type
 * @param boot the boot featureset: what a new guest gets, the same on every host (the AND of the
 *     hosts' default featuresets, OR for the {@code |} features, within the ceiling, closed under
 *     dependencies, known features only)
 * @param ceiling the migration ceiling: the most a guest may have and still move to every host
 *     (the AND of the hosts' max featuresets, closed under dependencies, known features only)
 * @param limits the minimum of the hosts' non-flag limits
 */
public record LevelledType(DomainType type, Featureset boot, Featureset ceiling, CpuLimits limits) {}
