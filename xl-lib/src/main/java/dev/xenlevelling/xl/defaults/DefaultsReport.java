package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import java.util.Optional;

/**
 * What the host-wide defaults did to a new domain: the warnings to show (stale policy, a feature
 * the policy removed turned back on, a requested feature the host cannot give) and, per feature
 * the guest asked about (in any layer), lost or gained against the default, which layer decided.
 *
 * @param plan the merged request, if defaults were consulted
 * @param stale the stale check of the policy, if one applies
 * @param warnings the warnings, in the order to print
 * @param explanation one per feature, in featureset order
 * @param predicted whether the domain's features are predicted ({@code -N}: nothing is created,
 *     so the hypervisor's clamp is computed from the host's featuresets) rather than read back
 */
public record DefaultsReport(
    Optional<CpuidPlan> plan,
    Optional<StaleCheck> stale,
    ImmutableList<String> warnings,
    ImmutableList<FeatureExplanation> explanation,
    boolean predicted) {

  /** The report of a domain created without consulting defaults. */
  public static final DefaultsReport NONE = new DefaultsReport(Optional.empty(), Optional.empty(),
      ImmutableList.of(), ImmutableList.of(), false);

  /** Returns the explanation as lines. */
  public ImmutableList<String> explainLines() {
    return explanation.stream().map(FeatureExplanation::line)
        .collect(ImmutableList.toImmutableList());
  }

  /**
   * Returns what {@code xl create --explain} prints: a heading, then per feature the guest asked
   * about, lost or gained, which layer decided it (indented).
   */
  public ImmutableList<String> explainReport() {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    b.add("explain: which layer decided each CPU feature the guest asked about, lost or gained:");
    if (explanation.isEmpty()) {
      b.add("  (none: every feature is the default policy's)");
    }
    for (String l : explainLines()) {
      b.add("  " + l);
    }
    return b.build();
  }

  /** Returns what {@code xl -N create --explain} prints on stderr: the predicted explanation. */
  public ImmutableList<String> predictedExplainReport() {
    ImmutableList.Builder<String> b = ImmutableList.builder();
    b.add("explain (predicted: -N creates nothing):");
    for (String l : explainLines()) {
      b.add("  " + l);
    }
    return b.build();
  }
}
