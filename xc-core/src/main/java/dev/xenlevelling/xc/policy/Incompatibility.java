package dev.xenlevelling.xc.policy;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One reason a guest policy cannot run on a host policy: what kind of reason, a message in words
 * and the position Xen's {@code err_leaf}/{@code err_subleaf}/{@code err_msr} fields would give
 * it.
 *
 * @param kind the kind of reason
 * @param message what is wrong, naming the values (one line, no trailing period)
 * @param position where: for the kinds Xen checks, the position Xen reports; for
 *     {@link Kind#FEATURE} (which Xen does not audit) the feature's word, as
 *     {@code (leaf, subleaf)} for a CPUID word (NO_SUBLEAF for a leaf without subleaves) or the
 *     MSR for an MSR word
 */
public record Incompatibility(Kind kind, String message, PolicyError position) {
  /** Checks that every component is present. */
  public Incompatibility {
    checkNotNull(kind, "kind");
    checkNotNull(message, "message");
    checkNotNull(position, "position");
  }

  /** The kinds of reason, in the order {@link Compatibility#check} reports them. */
  public enum Kind {
    /** The leaf 0 vendor registers differ (Xen 4.22+ only; position leaf 0, NO_SUBLEAF). */
    VENDOR,
    /** The guest's basic max leaf is above the host's (position leaf 0, NO_SUBLEAF). */
    BASIC_MAX_LEAF,
    /** The guest's leaf 7 max subleaf is above the host's (position leaf 7, subleaf 0). */
    LEAF7_MAX_SUBLEAF,
    /** The guest's extended max leaf is above the host's (position leaf 0x80000000, NO_SUBLEAF). */
    EXTD_MAX_LEAF,
    /** The guest has MSR_PLATFORM_INFO bits the host lacks (position MSR 0xce). */
    PLATFORM_INFO,
    /** A guest feature is not in the host's featureset (not checked by Xen). */
    FEATURE
  }
}
