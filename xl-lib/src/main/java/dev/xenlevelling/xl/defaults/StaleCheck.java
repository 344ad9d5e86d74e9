package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.level.HostRef;
import dev.xenlevelling.xl.policyfile.HostFeaturesets;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.Provenance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Whether a policy still describes the current host.
 *
 * <p>The rule (docs/xl.md, "Host-wide defaults"): the current host is identified among the policy's
 * recorded hosts by its fingerprint, else by its name, else by its featuresets (a policy levelled
 * from {@code xen-cpuid} text or {@code -p} text records fingerprints of another kind, which never
 * equal the live host's {@code sha256:...}). The policy is <em>stale</em> only when the host lost
 * a feature the policy relied on (one in the policy's ceiling that the host's recorded default or
 * max featureset had), or when the host is not one of the policy's hosts at all. A changed
 * fingerprint with nothing lost (a reboot with another {@code loglvl=}, say) is a note.
 *
 * @param status the outcome
 * @param matchedHost the recorded host this host was identified as, when it was
 * @param lost the features this host lost since (recorded under its name), or, when it is not
 *     one of the policy's hosts, the features the policy offers that this host cannot give, each
 *     with the guest types: {@code avx2 (pv, hvm)}; empty unless stale
 * @param warnings the lines to show (warnings and notes; empty when nothing changed)
 * @param summary one line for a refusal (strict), empty unless stale
 */
public record StaleCheck(
    Status status, Optional<String> matchedHost, ImmutableList<String> lost,
    ImmutableList<String> warnings, String summary) {

  /** The outcome of the check. */
  public enum Status {
    /**
     * The host is one the policy recorded and lost nothing the policy relied on (its fingerprint
     * may have changed: then a note says so).
     */
    CURRENT,
    /** The policy records no fingerprints: whether it is stale cannot be told. */
    NOT_RECORDED,
    /**
     * The host lost a feature the policy relied on, or it is not one of the policy's hosts;
     * {@code --strict} refuses.
     */
    STALE
  }

  /** Returns the check of {@code policy} against {@code host}. */
  public static StaleCheck check(LoadedPolicy policy, HostView host, FeatureTable table) {
    PolicyFile p = policy.file();
    if (p.provenance().isEmpty()) {
      return new StaleCheck(Status.NOT_RECORDED, Optional.empty(), ImmutableList.of(),
          ImmutableList.of("warning: policy " + policy.name() + " records no host fingerprints:"
              + " xl cannot tell whether it is stale"), "");
    }
    Provenance pr = p.provenance().get();
    for (HostRef h : pr.hosts()) {
      if (h.fingerprint().equals(host.fingerprint())) {
        return new StaleCheck(Status.CURRENT, Optional.of(h.name()), ImmutableList.of(),
            ImmutableList.of(), "");
      }
    }
    String who = "this host (" + host.name() + ", " + shortFingerprint(host.fingerprint()) + ")";
    String how = "recompute the policy with xl cpu-level from every host's xen-cpuid --json"
        + " (it was made by: " + pr.command() + ")";
    Optional<HostRef> byName = pr.hosts().stream().filter(h -> h.name().equals(host.name()))
        .findFirst();
    Optional<HostFeaturesets> mine = byName.flatMap(h -> pr.featuresets(h.name()))
        .filter(fs -> !fs.isEmpty());
    if (mine.isPresent()) {
      ImmutableList<String> l = named(relied(p, mine.get(), host), table);
      HostRef h = byName.get();
      if (l.isEmpty()) {
        return new StaleCheck(Status.CURRENT, Optional.of(h.name()), l,
            changedNote(policy, who, h, host), "");
      }
      String what = "since then it lost " + String.join(", ", l);
      return stale(policy, pr, who, "its fingerprint is not the recorded one ("
          + shortFingerprint(h.fingerprint()) + ": rebooted into other microcode, Xen or command"
          + " line?)", what, how, l);
    }
    // Not recorded under its name (or recorded without featuresets): a host whose recorded
    // featuresets are exactly this host's is that host.
    for (HostRef h : pr.hosts()) {
      Optional<HostFeaturesets> fs = pr.featuresets(h.name()).filter(x -> !x.isEmpty());
      if (fs.isPresent() && same(fs.get(), host)) {
        ImmutableList.Builder<String> w = ImmutableList.builder();
        if (!h.name().equals(host.name())) {
          w.add("note: policy " + policy.name() + ": " + who + " has the featuresets recorded"
              + " for its host " + h.name() + ": taken as that host");
        }
        return new StaleCheck(Status.CURRENT, Optional.of(h.name()), ImmutableList.of(),
            w.build(), "");
      }
    }
    // Not one of the policy's hosts: name what the policy offers that it cannot give.
    Map<Integer, List<String>> lostTypes = new TreeMap<>();
    for (DomainType t : DomainType.values()) {
      Optional<Featureset> ceiling = p.type(t).map(tp -> tp.featureset());
      if (ceiling.isEmpty() || !host.max().containsKey(t)) {
        continue;
      }
      add(lostTypes, ceiling.get().andNot(host.maxFor(t)), t);
    }
    ImmutableList<String> l = named(lostTypes, table);
    String what = l.isEmpty() ? "it can give every feature the policy offers"
        : "the policy offers features it cannot give: " + String.join(", ", l);
    return stale(policy, pr, who, "it is not one of the policy's hosts ("
        + CpuidMerge.names(pr.hosts().stream().map(HostRef::name).toList()) + ")",
        what, how, l);
  }

  private static StaleCheck stale(LoadedPolicy policy, Provenance pr, String who, String why,
      String what, String how, ImmutableList<String> l) {
    ImmutableList<String> warnings = ImmutableList.of(
        "warning: policy " + policy.name() + " is stale: " + who + ": " + why
            + "; the policy was computed from " + pr.hosts().size()
            + (pr.hosts().size() == 1 ? " host" : " hosts") + " on " + pr.created(),
        "warning: " + what,
        "warning: " + how);
    String summary = policy.name() + ": policy is stale: " + who + ": " + why + "; " + what
        + "; " + how;
    return new StaleCheck(Status.STALE, Optional.empty(), l, warnings, summary);
  }

  /** Returns the note for a recorded host whose fingerprint changed without losing anything. */
  private static ImmutableList<String> changedNote(LoadedPolicy policy, String who, HostRef h,
      HostView host) {
    if (!kind(h.fingerprint()).equals(kind(host.fingerprint()))) {
      // A policy levelled from xen-cpuid text or -p text: the kinds never compare; the recorded
      // featuresets did, and nothing the policy relied on was lost.
      return ImmutableList.of();
    }
    return ImmutableList.of("note: policy " + policy.name() + ": " + who + " has another"
        + " fingerprint than when the policy was computed (" + shortFingerprint(h.fingerprint())
        + "), but lost no feature the policy relies on");
  }

  /** Returns the fingerprint's kind: everything before its last {@code :}. */
  private static String kind(String fp) {
    int colon = fp.lastIndexOf(':');
    return colon < 0 ? "" : fp.substring(0, colon);
  }

  /**
   * Returns, per feature, the guest types for which the host lost it since {@code recorded}: a
   * feature in the recorded default or max featureset, no longer in the current one, and in the
   * policy's ceiling for that type (a feature the policy already removed was not relied on).
   */
  private static Map<Integer, List<String>> relied(PolicyFile p, HostFeaturesets recorded,
      HostView host) {
    Map<Integer, List<String>> lostTypes = new TreeMap<>();
    for (DomainType t : DomainType.values()) {
      if (!host.max().containsKey(t)) {
        continue;
      }
      Featureset gone = recorded.maxFor(t).map(fs -> fs.andNot(host.maxFor(t)))
          .orElse(Featureset.empty())
          .or(recorded.defaultFor(t).map(fs -> fs.andNot(host.defaultFor(t)))
              .orElse(Featureset.empty()));
      Optional<Featureset> ceiling = p.type(t).map(tp -> tp.featureset());
      add(lostTypes, ceiling.map(gone::and).orElse(gone), t);
    }
    return lostTypes;
  }

  private static void add(Map<Integer, List<String>> lostTypes, Featureset gone, DomainType t) {
    gone.features().forEach(i -> lostTypes.computeIfAbsent(i, x -> new ArrayList<>())
        .add(t.key()));
  }

  private static ImmutableList<String> named(Map<Integer, List<String>> lostTypes,
      FeatureTable table) {
    Map<String, List<String>> named = new LinkedHashMap<>();
    lostTypes.forEach((i, types) -> named.put(
        table.byIndex(i).map(Feature::name).orElse("bit " + i), types));
    ImmutableList.Builder<String> lost = ImmutableList.builder();
    named.forEach((n, types) -> lost.add(n + " (" + String.join(", ", types) + ")"));
    return lost.build();
  }

  /** Returns whether every featureset recorded in {@code fs} equals the host's current one. */
  private static boolean same(HostFeaturesets fs, HostView host) {
    for (DomainType t : DomainType.values()) {
      if (fs.defaultFor(t).isPresent() && !sameBits(fs.defaultFor(t).get(), host.defaultFor(t))) {
        return false;
      }
      if (fs.maxFor(t).isPresent() && !sameBits(fs.maxFor(t).get(), host.maxFor(t))) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether the two featuresets have the same bits (lengths may differ). */
  private static boolean sameBits(Featureset a, Featureset b) {
    return a.andNot(b).isEmpty() && b.andNot(a).isEmpty();
  }

  /** Returns {@code sha256:} and the first 12 hex digits, for messages. */
  static String shortFingerprint(String fp) {
    int colon = fp.lastIndexOf(':');
    return fp.length() > colon + 13 ? fp.substring(0, colon + 13) : fp;
  }
}
