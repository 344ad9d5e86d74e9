package dev.xenlevelling.xl.level;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xc.policy.Vendor;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pool leveller: one policy under which every guest can boot anywhere in a pool and migrate
 * anywhere in it, computed per guest type as XAPI does it (xen-api's {@code Cpuid_helpers} and
 * Xen's {@code |} marker of cpufeatureset.h and gen-cpuid.py's dependencies):
 *
 * <ul>
 *   <li>ceiling = the AND of the hosts' <em>max</em> featuresets: a guest within it can be
 *       migrated to any host, whose max contains it;
 *   <li>boot = the AND of the hosts' <em>default</em> featuresets (a guest booted anywhere sees
 *       the same features), OR for the {@code |} (SIMPLE_OR) features, which Xen marks as safe
 *       to accumulate, then cut to the ceiling so boot is always within it;
 *   <li>then the dependency closure (Xen's {@code sanitise_featureset}), which also drops every
 *       bit the feature table does not know: unknown bits are never offered (a whitelist);
 *   <li>non-flag limits: the minimum over the hosts of each;
 *   <li>one vendor per pool: mixed vendors are refused unless levelled per vendor.
 * </ul>
 *
 * <p>Featuresets of different lengths level correctly: a word a host does not report (an older
 * Xen's shorter featureset) reads as zero, so that host offers none of its features.
 *
 * <p>The XSAVE size follows the levelled features, as Xen recomputes it from the features a
 * guest gets: the standard-format size of the xstate components the ceiling enables
 * ({@link XsaveLayout}), not a minimum of the hosts' sizes.
 */
public final class PoolLeveller {
  private static final int MAX_NAMED_HOSTS = 5;

  private final FeatureTable table;
  private final Featureset simpleOr;

  /** Creates a leveller over {@code table}'s features, masks and dependencies. */
  public PoolLeveller(FeatureTable table) {
    this.table = checkNotNull(table);
    this.simpleOr = table.mask(StaticMask.SIMPLE_OR);
  }

  /** Returns a leveller over the latest Xen's feature table. */
  public static PoolLeveller latest() {
    return new PoolLeveller(FeatureTable.latest());
  }

  /** Returns the feature table this leveller uses. */
  public FeatureTable table() {
    return table;
  }

  /**
   * Returns the levelled policy of {@code hosts}, which must all be of one vendor.
   *
   * @throws LevelException for no hosts, a duplicate host name, mixed vendors, or no guest type
   *     supported by every host
   */
  public LevelledPolicy level(List<HostCpu> hosts) throws LevelException {
    checkPool(hosts);
    Map<Vendor, List<HostCpu>> byVendor = byVendor(hosts);
    if (byVendor.size() > 1) {
      throw new LevelException(LevelException.Reason.MIXED_VENDORS,
          "cannot level hosts of different CPU vendors: " + describeVendors(byVendor)
              + "; a guest cannot move between vendors, so level each vendor's hosts separately");
    }
    return levelOneVendor(hosts);
  }

  /**
   * Returns one levelled policy per vendor among {@code hosts}: the option to level a mixed pool
   * within each vendor.
   *
   * @throws LevelException for no hosts, a duplicate host name, or a vendor whose hosts share no
   *     guest type
   */
  public ImmutableSortedMap<Vendor, LevelledPolicy> levelPerVendor(List<HostCpu> hosts)
      throws LevelException {
    checkPool(hosts);
    ImmutableSortedMap.Builder<Vendor, LevelledPolicy> b = ImmutableSortedMap.naturalOrder();
    for (Map.Entry<Vendor, List<HostCpu>> e : byVendor(hosts).entrySet()) {
      b.put(e.getKey(), levelOneVendor(e.getValue()));
    }
    return b.buildOrThrow();
  }

  /**
   * Returns why the pool's policy lacks each feature some host has (the weakest links), and what
   * each host costs the pool (computed by {@code PoolExplainer}).
   *
   * @throws LevelException as {@link #level}
   */
  public PoolExplanation explain(List<HostCpu> hosts) throws LevelException {
    LevelledPolicy policy = level(hosts);
    PoolExplainer explainer = new PoolExplainer(this);
    ImmutableSortedMap.Builder<DomainType, TypeExplanation> b = ImmutableSortedMap.naturalOrder();
    for (LevelledType lt : policy.types().values()) {
      b.put(lt.type(), explainer.explainType(lt, hosts));
    }
    return new PoolExplanation(b.buildOrThrow());
  }

  private LevelledPolicy levelOneVendor(List<HostCpu> hosts) throws LevelException {
    ImmutableSortedMap.Builder<DomainType, LevelledType> types = ImmutableSortedMap.naturalOrder();
    ImmutableList.Builder<String> notes = ImmutableList.builder();
    for (DomainType type : DomainType.values()) {
      List<GuestCpu> guests = new ArrayList<>(hosts.size());
      List<String> without = new ArrayList<>();
      for (HostCpu h : hosts) {
        Optional<GuestCpu> g = h.guest(type);
        if (g.isPresent()) {
          guests.add(g.get());
        } else {
          without.add(h.name());
        }
      }
      if (!without.isEmpty()) {
        if (!guests.isEmpty()) {
          notes.add(type.key() + ": not levelled: " + plural(without, "host", "hosts") + " "
              + joinNames(without) + (without.size() == 1 ? " does" : " do")
              + " not support " + type.name() + " guests");
        }
        continue;
      }
      LevelledType lt = levelType(type, guests);
      types.put(type, lt);
      degenerate(lt, notes);
    }
    ImmutableSortedMap<DomainType, LevelledType> built = types.buildOrThrow();
    if (built.isEmpty()) {
      throw new LevelException(LevelException.Reason.NO_COMMON_GUEST_TYPE,
          "no guest type is supported by every host (" + describeTypes(hosts)
              + "): no guest could run everywhere in this pool");
    }
    ImmutableList.Builder<HostRef> refs = ImmutableList.builder();
    for (HostCpu h : hosts) {
      refs.add(new HostRef(h.name(), h.fingerprint()));
    }
    return new LevelledPolicy(hosts.get(0).vendor(), built, refs.build(), notes.build());
  }

  /** Adds a note for each degenerate aspect of {@code lt}: an empty set, no 64-bit mode. */
  private void degenerate(LevelledType lt, ImmutableList.Builder<String> notes) {
    String t = lt.type().key();
    if (lt.boot().isEmpty()) {
      notes.add(t + ": the boot featureset is empty: the hosts share no default feature");
    } else {
      table.byName("lm").ifPresent(lm -> {
        if (!lt.boot().contains(lm.index())) {
          notes.add(t + ": the boot featureset lacks lm: guests cannot run in 64-bit mode");
        }
      });
    }
    if (lt.ceiling().isEmpty()) {
      notes.add(t + ": the migration ceiling is empty: the hosts share no feature");
    }
  }

  /**
   * Returns {@code policy} with {@code candidate} added to its pool, without the pool's members:
   * the policy stands for them (its boot set as their common default, its ceiling as their
   * common max), which gives the same result as levelling the members and the candidate, since
   * AND and OR are associative and the closure only removes.
   *
   * @throws LevelException for a candidate of another vendor or already in the pool, or one
   *     that supports none of the policy's guest types
   */
  public LevelledPolicy extend(LevelledPolicy policy, HostCpu candidate) throws LevelException {
    if (candidate.vendor() != policy.vendor()) {
      throw new LevelException(LevelException.Reason.MIXED_VENDORS,
          "cannot level host " + candidate.name() + " (" + candidate.vendor().key()
              + ") with a pool of " + policy.vendor().key()
              + " hosts; a guest cannot move between vendors");
    }
    for (HostRef h : policy.hosts()) {
      if (h.name().equals(candidate.name())) {
        throw new LevelException(LevelException.Reason.DUPLICATE_HOST,
            "host " + candidate.name() + " is already in the pool");
      }
    }
    ImmutableSortedMap.Builder<DomainType, LevelledType> types = ImmutableSortedMap.naturalOrder();
    ImmutableList.Builder<String> notes = ImmutableList.builder();
    for (LevelledType lt : policy.types().values()) {
      Optional<GuestCpu> g = candidate.guest(lt.type());
      if (g.isEmpty()) {
        notes.add(lt.type().key() + ": not levelled: host " + candidate.name()
            + " does not support " + lt.type().name() + " guests");
        continue;
      }
      LevelledType next = levelType(lt.type(),
          List.of(new GuestCpu(lt.boot(), lt.ceiling(), lt.limits()), g.get()));
      types.put(lt.type(), next);
      degenerate(next, notes);
    }
    ImmutableSortedMap<DomainType, LevelledType> built = types.buildOrThrow();
    if (built.isEmpty()) {
      throw new LevelException(LevelException.Reason.NO_COMMON_GUEST_TYPE,
          "host " + candidate.name() + " supports none of the pool's guest types: "
              + "no guest could run everywhere in this pool");
    }
    ImmutableList<HostRef> refs = ImmutableList.<HostRef>builder().addAll(policy.hosts())
        .add(new HostRef(candidate.name(), candidate.fingerprint())).build();
    return new LevelledPolicy(policy.vendor(), built, refs, notes.build());
  }

  /** Returns one type's policy from the hosts' featuresets for it (non-empty list). */
  LevelledType levelType(DomainType type, List<GuestCpu> guests) {
    List<Featureset> defs = new ArrayList<>(guests.size());
    List<Featureset> maxes = new ArrayList<>(guests.size());
    CpuLimits limits = guests.get(0).limits();
    for (GuestCpu g : guests) {
      defs.add(g.defaultFeatures());
      maxes.add(g.maxFeatures());
      limits = limits.min(g.limits());
    }
    Featureset ceiling = ceiling(Featureset.andAll(maxes));
    Featureset boot = boot(Featureset.andAll(defs), Featureset.orAll(defs), ceiling);
    limits = new CpuLimits(limits.maxLeaf(), limits.leaf7MaxSubleaf(), limits.extdMaxLeaf(),
        limits.maxPhysAddr(), XsaveLayout.size(table, ceiling));
    return new LevelledType(type, boot, ceiling, limits);
  }

  /** Returns the ceiling from the AND of the max featuresets: known features, closed. */
  Featureset ceiling(Featureset andOfMax) {
    return table.sanitise(andOfMax);
  }

  /** Returns the boot featureset from the AND and OR of the defaults, within {@code ceiling}. */
  Featureset boot(Featureset andOfDefaults, Featureset orOfDefaults, Featureset ceiling) {
    return table.sanitise(andOfDefaults.or(orOfDefaults.and(simpleOr)).and(ceiling));
  }

  /** Returns whether {@code feature} is a {@code |} (accumulate) feature. */
  boolean isSimpleOr(int feature) {
    return simpleOr.contains(feature);
  }

  private static void checkPool(List<HostCpu> hosts) throws LevelException {
    if (hosts.isEmpty()) {
      throw new LevelException(LevelException.Reason.NO_HOSTS, "no hosts to level");
    }
    Set<String> seen = new HashSet<>();
    for (HostCpu h : hosts) {
      if (!seen.add(h.name())) {
        throw new LevelException(LevelException.Reason.DUPLICATE_HOST,
            "host " + h.name() + " is given twice; every host of a pool needs its own name");
      }
    }
  }

  private static Map<Vendor, List<HostCpu>> byVendor(List<HostCpu> hosts) {
    Map<Vendor, List<HostCpu>> m = new EnumMap<>(Vendor.class);
    for (HostCpu h : hosts) {
      m.computeIfAbsent(h.vendor(), v -> new ArrayList<>()).add(h);
    }
    return m;
  }

  private static String describeVendors(Map<Vendor, List<HostCpu>> byVendor) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Vendor, List<HostCpu>> e : byVendor.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      List<String> names = new ArrayList<>();
      e.getValue().forEach(h -> names.add(h.name()));
      sb.append(e.getKey().key()).append(" (").append(joinNames(names)).append(')');
    }
    return sb.toString();
  }

  private static String describeTypes(List<HostCpu> hosts) {
    Map<String, List<String>> byTypes = new LinkedHashMap<>();
    for (HostCpu h : hosts) {
      String k = h.guests().isEmpty() ? "no guest type"
          : String.join("+", h.guests().keySet().stream().map(DomainType::key).toList()) + " only";
      byTypes.computeIfAbsent(k, x -> new ArrayList<>()).add(h.name());
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : byTypes.entrySet()) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(joinNames(e.getValue())).append(": ").append(e.getKey());
    }
    return sb.toString();
  }

  /** Returns up to five names joined by ", ", then "and N more". */
  static String joinNames(List<String> names) {
    if (names.size() <= MAX_NAMED_HOSTS) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, MAX_NAMED_HOSTS))
        + " and " + (names.size() - MAX_NAMED_HOSTS) + " more";
  }

  private static String plural(List<?> l, String one, String many) {
    return l.size() == 1 ? one : many;
  }
}
