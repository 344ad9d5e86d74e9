package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.level.GuestType;
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

/**
 * Whether a policy still describes the current host: its fingerprint is one the policy recorded.
 * A host that rebooted into other microcode, another Xen or another command line no longer
 * matches, and the features it lost since are named.
 *
 * @param status the outcome
 * @param matchedHost the recorded host whose fingerprint this host has, when it is current
 * @param lost the features this host lost since (recorded under its name), or, when it is not
 *     recorded under its name, the features the policy offers that this host cannot give, each
 *     with the guest types: {@code avx2 (pv, hvm)}; empty unless stale
 * @param warnings the lines to show (empty when current)
 * @param summary one line for a refusal (strict), empty unless stale
 */
public record StaleCheck(
    Status status, Optional<String> matchedHost, ImmutableList<String> lost,
    ImmutableList<String> warnings, String summary) {

  /** The outcome of the check. */
  public enum Status {
    /** The host's fingerprint is one the policy recorded. */
    CURRENT,
    /** The policy records no fingerprints: whether it is stale cannot be told. */
    NOT_RECORDED,
    /** The host matches none of the recorded fingerprints. */
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
    Optional<HostFeaturesets> mine = pr.featuresets(host.name());
    Map<Integer, List<String>> lostTypes = new TreeMap<>();
    for (GuestType t : GuestType.values()) {
      Featureset gone;
      if (mine.isPresent()) {
        if (!host.max().containsKey(t)) {
          continue;
        }
        // What a new guest (default) or a migrating one (max) could have here before, not now.
        gone = mine.get().maxFor(t).map(fs -> fs.andNot(host.maxFor(t))).orElse(Featureset.empty())
            .or(mine.get().defaultFor(t).map(fs -> fs.andNot(host.defaultFor(t)))
                .orElse(Featureset.empty()));
      } else {
        Optional<Featureset> ceiling = p.type(t).map(tp -> tp.featureset());
        if (ceiling.isEmpty()) {
          continue;
        }
        gone = ceiling.get().andNot(host.maxFor(t));
      }
      gone.features().forEach(i -> lostTypes.computeIfAbsent(i, x -> new ArrayList<>())
          .add(t.key()));
    }
    Map<String, List<String>> named = new LinkedHashMap<>();
    lostTypes.forEach((i, types) -> named.put(
        table.byIndex(i).map(Feature::name).orElse("bit " + i), types));
    ImmutableList.Builder<String> lost = ImmutableList.builder();
    named.forEach((n, types) -> lost.add(n + " (" + String.join(", ", types) + ")"));
    ImmutableList<String> l = lost.build();
    String who = "this host (" + host.name() + ", " + shortFingerprint(host.fingerprint()) + ")";
    String what = mine.isPresent()
        ? (l.isEmpty() ? "it lost no feature since" : "since then it lost " + String.join(", ", l))
        : (l.isEmpty() ? "it can give every feature the policy offers"
            : "the policy offers features it cannot give: " + String.join(", ", l));
    String how = "recompute the policy with xl cpu-level from every host's xen-cpuid --json"
        + " (it was made by: " + pr.command() + ")";
    ImmutableList<String> warnings = ImmutableList.of(
        "warning: policy " + policy.name() + " is stale: " + who + " matches none of the "
            + pr.hosts().size() + (pr.hosts().size() == 1 ? " host" : " hosts")
            + " it was computed from on " + pr.created()
            + " (rebooted into other microcode, Xen or command line?)",
        "warning: " + what,
        "warning: " + how);
    String summary = policy.name() + ": policy is stale: " + who + " matches none of its hosts; "
        + what + "; " + how;
    return new StaleCheck(Status.STALE, Optional.empty(), l, warnings, summary);
  }

  /** Returns {@code sha256:} and the first 12 hex digits, for messages. */
  static String shortFingerprint(String fp) {
    int colon = fp.indexOf(':');
    return fp.length() > colon + 13 ? fp.substring(0, colon + 13) : fp;
  }
}
