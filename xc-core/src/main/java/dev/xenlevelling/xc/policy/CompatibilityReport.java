package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link Compatibility#check}: every reason a guest policy cannot run on a host
 * policy, what Xen itself would say, and the guest features the host lacks.
 */
public final class CompatibilityReport {
  private final ImmutableList<Incompatibility> reasons;
  private final Optional<PolicyError> xenError;
  private final ImmutableList<String> missingFeatures;

  CompatibilityReport(
      ImmutableList<Incompatibility> reasons,
      Optional<PolicyError> xenError,
      ImmutableList<String> missingFeatures) {
    this.reasons = checkNotNull(reasons);
    this.xenError = checkNotNull(xenError);
    this.missingFeatures = checkNotNull(missingFeatures);
  }

  /** Returns whether there is no reason at all (Xen's checks and the feature check all pass). */
  public boolean compatible() {
    return reasons.isEmpty();
  }

  /**
   * Returns every reason, in {@link Incompatibility.Kind} order (features in featureset order);
   * empty if compatible.
   */
  public ImmutableList<Incompatibility> reasons() {
    return reasons;
  }

  /**
   * Returns the error the latest Xen's (4.22+) {@code x86_cpu_policies_are_compatible} reports:
   * only its first failure, and nothing about features, which Xen does not audit ("TODO: Audit
   * more CPUID data"); empty if Xen would accept the pair.
   */
  public Optional<PolicyError> xenError() {
    return xenError;
  }

  /**
   * Returns the guest features the host lacks, in featureset order: the feature table's name, or
   * for a bit the table does not name, its number in brackets ({@code [451]}, word * 32 + bit).
   */
  public ImmutableList<String> missingFeatures() {
    return missingFeatures;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CompatibilityReport)) {
      return false;
    }
    CompatibilityReport r = (CompatibilityReport) o;
    return reasons.equals(r.reasons) && xenError.equals(r.xenError)
        && missingFeatures.equals(r.missingFeatures);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reasons, xenError, missingFeatures);
  }

  /** Returns "compatible" or the reasons' messages joined with "; ". */
  @Override
  public String toString() {
    if (compatible()) {
      return "compatible";
    }
    StringBuilder sb = new StringBuilder();
    for (Incompatibility i : reasons) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(i.message());
    }
    return sb.toString();
  }
}
