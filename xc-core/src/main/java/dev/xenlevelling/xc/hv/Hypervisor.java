package dev.xenlevelling.xc.hv;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.LevellingCaps;
import dev.xenlevelling.xc.abi.Physinfo;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.PvLevelling;
import dev.xenlevelling.xc.policy.Compatibility;
import dev.xenlevelling.xc.policy.CompatibilityReport;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Incompatibility;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.PolicyError;
import dev.xenlevelling.xc.policy.PolicyException;
import java.util.List;
import java.util.Locale;

/**
 * The simulated hypervisor's sysctl and domctl operations for CPUID levelling, each with Xen's
 * semantics and errno values, over a booted {@link Host} and a store of its domains.
 *
 * <p>Failures are {@link PolicyException}s carrying Xen's errno and, where Xen fills them, the
 * err_leaf / err_subleaf / err_msr fields. The caller is dom0 (the toolstack's domain): domctls
 * naming domain 0 act on the caller itself. Thread-safe; with a directory store, also safe
 * against other processes using the same host.
 */
public final class Hypervisor {
  /** The caller's own domain id: the toolstack runs in dom0. */
  public static final int DOM0 = 0;

  private final Host host;
  private final DomainStore store;
  /** A new domain's policy, by type/hap/nested: the recalculated default never changes. */
  private final java.util.concurrent.ConcurrentHashMap<String, CpuPolicy> initialPolicies =
      new java.util.concurrent.ConcurrentHashMap<>();

  Hypervisor(Host host, DomainStore store) {
    this.host = checkNotNull(host, "host");
    this.store = checkNotNull(store, "store");
  }

  /** Returns the hypervisor of {@code host} whose domains live in {@code store}. */
  public static Hypervisor withStore(Host host, DomainStore store) {
    return new Hypervisor(host, store);
  }

  /** Returns a hypervisor over {@code host} whose domains live in this process's memory only. */
  public static Hypervisor inMemory(Host host) {
    return new Hypervisor(host, new InMemoryDomainStore());
  }

  /** Returns the booted host. */
  public Host host() {
    return host;
  }

  // ---------------------------------------------------------------------------------------------
  // sysctls

  /** Returns the featureset size Xen reports for a NULL buffer ({@code FSCAPINTS}). */
  public int getCpuFeaturesetSize() {
    return host.table().nrWords();
  }

  /**
   * Returns the number of words copied into {@code buf} from featureset {@code index}, as
   * {@code XEN_SYSCTL_get_cpu_featureset}: min(buf.length, FSCAPINTS) words.
   *
   * @throws PolicyException EINVAL for an index Xen has no set at, EOPNOTSUPP for a set compiled
   *     out (pv=0 / hvm=0), ENOBUFS <em>after</em> copying when {@code buf} is shorter than
   *     FSCAPINTS
   */
  public int getCpuFeatureset(int index, int[] buf) throws PolicyException {
    checkNotNull(buf, "buf");
    FeaturesetIndex i = FeaturesetIndex.of(index).orElseThrow(() -> new PolicyException(
        Errno.EINVAL, PolicyError.UNKNOWN, "no featureset at index " + index));
    if (compiledOut(i.policy())) {
      throw new PolicyException(Errno.EOPNOTSUPP, PolicyError.UNKNOWN,
          i.title() + " featureset not supported by Xen");
    }
    int n = Math.min(buf.length, getCpuFeaturesetSize());
    Featureset fs = host.featureset(i.policy());
    for (int w = 0; w < n; w++) {
      buf[w] = fs.word(w);
    }
    if (buf.length < getCpuFeaturesetSize()) {
      throw new PolicyException(Errno.ENOBUFS, PolicyError.UNKNOWN, String.format(Locale.ROOT,
          "buffer of %d words is shorter than the featureset (%d); %d copied",
          buf.length, getCpuFeaturesetSize(), n));
    }
    return n;
  }

  /** Returns the levelling caps ({@code XEN_SYSCTL_get_cpu_levelling_caps}). */
  public LevellingCaps getCpuLevellingCaps() {
    return host.levellingCaps();
  }

  /**
   * Returns system policy {@code index} ({@code XEN_SYSCTL_get_cpu_policy}: 0 raw, 1 host, 2 PV
   * max, 3 HVM max, 4 PV default, 5 HVM default).
   *
   * @throws PolicyException EINVAL for a bad index, EOPNOTSUPP for a policy compiled out
   */
  public CpuPolicy getCpuPolicy(int index) throws PolicyException {
    PolicyIndex i = PolicyIndex.of(index).orElseThrow(() -> new PolicyException(
        Errno.EINVAL, PolicyError.UNKNOWN, "no system policy at index " + index));
    if (compiledOut(i)) {
      throw new PolicyException(Errno.EOPNOTSUPP, PolicyError.UNKNOWN,
          i.title() + " policy not supported by Xen");
    }
    return host.policy(i);
  }

  /**
   * Returns system policy {@code index} as the sysctl copies it into buffers of
   * {@code nrLeaves} leaves and {@code nrMsrs} MSRs.
   *
   * @throws PolicyException as {@link #getCpuPolicy(int)}, or ENOBUFS if a buffer is too small
   */
  public CpuPolicy getCpuPolicy(int index, int nrLeaves, int nrMsrs) throws PolicyException {
    CpuPolicy p = getCpuPolicy(index);
    checkBuffers(p, nrLeaves, nrMsrs);
    return p;
  }

  private static void checkBuffers(CpuPolicy p, int nrLeaves, int nrMsrs) throws PolicyException {
    int leaves = p.toLeaves().size();
    if (nrLeaves < leaves || nrMsrs < CpuPolicy.MAX_SERIALISED_MSRS) {
      throw new PolicyException(Errno.ENOBUFS, PolicyError.UNKNOWN, String.format(Locale.ROOT,
          "buffers of %d leaves and %d MSRs are too small for %d leaves and %d MSRs",
          nrLeaves, nrMsrs, leaves, CpuPolicy.MAX_SERIALISED_MSRS));
    }
  }

  private boolean compiledOut(PolicyIndex i) {
    return (i.isPv() && !host.options().pv()) || (i.isHvm() && !host.options().hvm());
  }

  /** Returns physinfo's levelling fields ({@code XEN_SYSCTL_physinfo}). */
  public Physinfo physinfo() {
    return host.physinfo();
  }

  // ---------------------------------------------------------------------------------------------
  // domctls

  /**
   * Returns the id of a new, paused domain ({@code XEN_DOMCTL_createdomain}); its policy is the
   * type's default policy as Xen's {@code init_domain_cpu_policy} recalculates it.
   *
   * @throws PolicyException EINVAL for HAP or nested virtualisation on a PV guest, a guest type
   *     not built in or not supported by the hardware, or HAP without hardware support; ENOMEM
   *     when every domain id is taken
   */
  public int createDomain(DomainType type, boolean hap, boolean nestedHvm) throws PolicyException {
    checkNotNull(type, "type");
    if (type == DomainType.PV) {
      if (hap || nestedHvm) {
        throw einval("HAP and nested virtualisation are for HVM guests only");
      }
      if (!host.options().pv()) {
        throw einval("PV support not available (built without CONFIG_PV)");
      }
    } else {
      if (!host.hvmSupported()) {
        throw einval("Attempt to create a HVM guest on a non-VT/AMDV platform");
      }
      if (hap && !host.hapSupported()) {
        throw einval("HAP requested but not available");
      }
    }
    CpuPolicy policy = initialPolicies.computeIfAbsent(type + "/" + hap + "/" + nestedHvm,
        k -> Recalculate.clamp(host, type, hap, nestedHvm, host.policy(
            type == DomainType.PV ? PolicyIndex.PV_DEFAULT : PolicyIndex.HVM_DEFAULT)).policy());
    return store.update(t -> {
      int id = t.allocate().orElseThrow(() -> new PolicyException(Errno.ENOMEM,
          PolicyError.UNKNOWN, "no free domain id"));
      t.domains.put(id, new Domain(id, type, hap, nestedHvm, true, false, policy,
          ImmutableList.of()));
      return id;
    });
  }

  /**
   * Destroys domain {@code domid} ({@code XEN_DOMCTL_destroydomain}).
   *
   * @throws PolicyException EINVAL for the caller's own domain, ESRCH for no such domain
   */
  public void destroyDomain(int domid) throws PolicyException {
    if (domid == DOM0) {
      throw einval("a domain cannot destroy itself");
    }
    store.update(t -> {
      if (t.domains.remove(domid) == null) {
        throw esrch(domid);
      }
      return null;
    });
  }

  /**
   * Unpauses domain {@code domid} ({@code XEN_DOMCTL_unpausedomain}); the first unpause finishes
   * its creation, which freezes its CPU policy.
   *
   * @throws PolicyException EINVAL for the caller's own domain or a domain that is not paused,
   *     ESRCH for no such domain
   */
  public void unpauseDomain(int domid) throws PolicyException {
    if (domid == DOM0) {
      throw einval("a domain cannot unpause itself");
    }
    store.update(t -> {
      Domain d = t.get(domid).orElseThrow(() -> esrch(domid));
      if (!d.paused()) {
        throw einval("domain " + domid + " is not paused");
      }
      t.domains.put(domid, d.unpaused());
      return null;
    });
  }

  /**
   * Returns what {@code XEN_DOMCTL_getdomaininfo} says about {@code domid}.
   *
   * @throws PolicyException ESRCH for no such domain
   */
  public DomainInfo getDomainInfo(int domid) throws PolicyException {
    if (domid == DOM0) {
      return dom0Info();
    }
    return store.read(t -> t.get(domid).orElseThrow(() -> esrch(domid)).info());
  }

  /** Returns every domain, dom0 first, in id order ({@code xc_domain_getinfolist}). */
  public ImmutableList<DomainInfo> listDomains() throws PolicyException {
    return store.read(t -> {
      ImmutableList.Builder<DomainInfo> b = ImmutableList.<DomainInfo>builder().add(dom0Info());
      t.domains.values().forEach(d -> b.add(d.info()));
      return b.build();
    });
  }

  private static DomainInfo dom0Info() {
    return new DomainInfo(DOM0, DomainType.PV, false, false, false, true);
  }

  /**
   * Returns domain {@code domid}'s CPU policy ({@code XEN_DOMCTL_get_cpu_policy}). Dom0's is the
   * PV default plus ITSC if the host has it, then the {@code dom0-cpuid=} enables and disables,
   * recalculated, as {@code init_dom0_cpuid_policy}.
   *
   * @throws PolicyException ESRCH for no such domain, EOPNOTSUPP for dom0 with PV compiled out
   */
  public CpuPolicy getDomainCpuPolicy(int domid) throws PolicyException {
    if (domid == DOM0) {
      if (!host.options().pv()) {
        throw new PolicyException(Errno.EOPNOTSUPP, PolicyError.UNKNOWN, "no PV dom0");
      }
      CpuPolicy def = host.policy(PolicyIndex.PV_DEFAULT);
      Featureset fs = def.featureset(host.table());
      if (host.featureset(PolicyIndex.HOST).contains(Feat.n("itsc"))) {
        fs = fs.with(Feat.n("itsc"));
      }
      for (String n : host.options().dom0Enable()) {
        fs = fs.with(Feat.n(n));
      }
      for (String n : host.options().dom0Disable()) {
        fs = fs.without(Feat.n(n));
      }
      return Recalculate.clamp(host, DomainType.PV, false, false,
          def.withFeatureset(fs, host.table())).policy();
    }
    return store.read(t -> t.get(domid).orElseThrow(() -> esrch(domid)).policy());
  }

  /**
   * Returns domain {@code domid}'s CPU policy as copied into buffers of {@code nrLeaves} leaves
   * and {@code nrMsrs} MSRs.
   *
   * @throws PolicyException as {@link #getDomainCpuPolicy(int)}, or ENOBUFS for small buffers
   */
  public CpuPolicy getDomainCpuPolicy(int domid, int nrLeaves, int nrMsrs) throws PolicyException {
    CpuPolicy p = getDomainCpuPolicy(domid);
    checkBuffers(p, nrLeaves, nrMsrs);
    return p;
  }

  /**
   * Sets domain {@code domid}'s CPU policy from serialised leaves and MSRs
   * ({@code XEN_DOMCTL_set_cpu_policy}, Xen's {@code update_domain_cpu_policy} steps 1 to 7) and
   * returns what Xen's silent clamping changed.
   *
   * <p>Leaves not supplied keep their current values. The merged policy is checked against the
   * max policy of the domain's type ({@code x86_cpu_policies_are_compatible}), installed, then
   * clamped: max leaves, features to the type's max (less HAP-only bits with hap=0 and vmx/svm
   * without nested virtualisation) with the dependency closure, the CLFLUSH size and special bits
   * from the host, maxphysaddr and maxlinaddr.
   *
   * @throws PolicyException EINVAL for the caller's own domain; ESRCH for no such domain; EEXIST
   *     once the domain has been unpaused; E2BIG for more than 120 leaves or 2 MSRs; ERANGE (with
   *     err_leaf/err_subleaf or err_msr) for a leaf or MSR Xen's policy has no room for; EINVAL
   *     (err_msr) for MSR flags; EOVERFLOW for a value wider than its field; EINVAL with the first
   *     incompatibility's err fields when the policy exceeds the max policy's leaves, vendor or
   *     PLATFORM_INFO
   */
  public ClampReport setCpuPolicy(int domid, List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws PolicyException {
    checkNotNull(leaves, "leaves");
    checkNotNull(msrs, "msrs");
    if (domid == DOM0) {
      throw einval("a domain cannot set its own CPU policy");
    }
    return store.update(t -> {
      Domain d = t.get(domid).orElseThrow(() -> esrch(domid));
      if (d.creationFinished()) {
        throw new PolicyException(Errno.EEXIST, PolicyError.UNKNOWN,
            "domain " + domid + " has run: its CPU policy is frozen");
      }
      ClampReport r = clampFor(d, leaves, msrs);
      t.domains.put(domid, d.withPolicy(r.policy()));
      return r;
    });
  }

  /**
   * Returns what {@link #setCpuPolicy} would do to domain {@code domid} without changing it (the
   * same checks and errors).
   */
  public ClampReport previewCpuPolicy(int domid, List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws PolicyException {
    if (domid == DOM0) {
      throw einval("a domain cannot set its own CPU policy");
    }
    return store.read(t -> clampFor(t.get(domid).orElseThrow(() -> esrch(domid)), leaves, msrs));
  }

  private ClampReport clampFor(Domain d, List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws PolicyException {
    CpuPolicy merged = d.policy().mergeLeaves(leaves, msrs);
    CpuPolicy max = host.policy(d.type() == DomainType.PV ? PolicyIndex.PV_MAX
        : PolicyIndex.HVM_MAX);
    CompatibilityReport compat = Compatibility.check(max, merged.clearOutOfRangeLeaves(),
        host.table());
    if (compat.xenError().isPresent()) {
      String why = compat.reasons().stream()
          .filter(r -> r.kind() != Incompatibility.Kind.FEATURE)
          .map(Incompatibility::message).findFirst().orElse("incompatible with the max policy");
      throw new PolicyException(Errno.EINVAL, compat.xenError().get(), why);
    }
    return Recalculate.clamp(host, d.type(), d.hap(), d.nestedHvm(), merged);
  }

  /**
   * Returns how domain {@code domid}'s policy reaches native CPUID (PV guests only: HVM guests
   * always trap CPUID): the per-domain masking MSR values on masking hardware and the
   * restrictions the hardware cannot enforce.
   *
   * @throws PolicyException ESRCH for no such domain, EINVAL for an HVM domain
   */
  public PvLevelling getPvLevelling(int domid) throws PolicyException {
    CpuPolicy p = getDomainCpuPolicy(domid);
    DomainInfo info = getDomainInfo(domid);
    if (info.type() != DomainType.PV) {
      throw einval("domain " + domid + " is HVM: CPUID always traps, nothing to mask");
    }
    return PvMasks.compute(host, p);
  }

  /** The most entries the old set_cpuid table holds per domain ({@code MAX_CPUID_INPUT}). */
  public static final int MAX_CPUID_INPUT = 40;

  /**
   * Sets one leaf of domain {@code domid} with the old {@code XEN_DOMCTL_set_cpuid} (Xen 4.7 to
   * 4.12): the entry replaces the stored one of the same leaf whose subleaf is the same or
   * {@link CpuidLeaf#NO_SUBLEAF} (unused), all-zero registers delete it, otherwise it takes a free
   * slot. Nothing is validated here; the guest sees it clamped when it runs CPUID (see
   * {@link #guestCpuid}).
   *
   * @throws PolicyException EINVAL for the caller's own domain, ESRCH for no such domain, ENOENT
   *     when all {@value #MAX_CPUID_INPUT} entries are taken
   */
  public void setCpuid(int domid, CpuidLeaf entry) throws PolicyException {
    checkNotNull(entry, "entry");
    if (domid == DOM0) {
      throw einval("a domain cannot set its own CPUID");
    }
    store.update(t -> {
      Domain d = t.get(domid).orElseThrow(() -> esrch(domid));
      List<CpuidLeaf> table = new java.util.ArrayList<>(d.legacyCpuid());
      int i = legacyIndex(table, entry.leaf(), entry.subleaf());
      if (entry.isZero()) {
        if (i >= 0) {
          table.remove(i);
        }
      } else if (i >= 0) {
        table.set(i, entry);
      } else if (table.size() >= MAX_CPUID_INPUT) {
        throw new PolicyException(Errno.ENOENT, PolicyError.UNKNOWN, String.format(Locale.ROOT,
            "domain %d's CPUID table is full (%d entries)", domid, MAX_CPUID_INPUT));
      } else {
        table.add(entry);
      }
      t.domains.put(domid, d.withLegacyCpuid(ImmutableList.copyOf(table)));
      return null;
    });
  }

  private static int legacyIndex(List<CpuidLeaf> table, int leaf, int subleaf) {
    for (int i = 0; i < table.size(); i++) {
      CpuidLeaf e = table.get(i);
      if (e.leaf() == leaf && (e.subleaf() == CpuidLeaf.NO_SUBLEAF || e.subleaf() == subleaf)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns what domain {@code domid} sees when it executes CPUID (leaf, subleaf). With entries
   * from {@link #setCpuid}, as Xen 4.7's {@code domain_cpuid}: the matching entry (all zero if
   * none), its feature words ANDed with the max featureset of the domain's type. Otherwise, as
   * Xen 4.13+'s {@code guest_cpuid}: the domain's policy.
   *
   * @throws PolicyException ESRCH for no such domain
   */
  public CpuidLeaf guestCpuid(int domid, int leaf, int subleaf) throws PolicyException {
    Domain d = store.read(t -> t.get(domid).orElseThrow(() -> esrch(domid)));
    if (d.legacyCpuid().isEmpty()) {
      int s = Policies.sub(leaf, subleaf);
      return d.policy().leaf(leaf, s).orElse(new CpuidLeaf(leaf, s, 0, 0, 0, 0));
    }
    int i = legacyIndex(d.legacyCpuid(), leaf, subleaf);
    CpuidLeaf e = i >= 0 ? d.legacyCpuid().get(i) : new CpuidLeaf(leaf, subleaf, 0, 0, 0, 0);
    int[] regs = {e.a(), e.b(), e.c(), e.d()};
    Featureset max = Recalculate.maxFeatureset(host, d.type(), d.hap(), d.nestedHvm());
    for (dev.xenlevelling.xc.policy.FeatureWord w : host.table().words()) {
      if (!w.msr() && w.leaf() == leaf
          && (w.subleaf().isEmpty() || w.subleaf().getAsInt() == subleaf)) {
        regs[w.register().ordinal()] &= max.word(w.index());
      }
    }
    return new CpuidLeaf(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
  }

  private static PolicyException einval(String msg) {
    return new PolicyException(Errno.EINVAL, PolicyError.UNKNOWN, msg);
  }

  private static PolicyException esrch(int domid) {
    return new PolicyException(Errno.ESRCH, PolicyError.UNKNOWN, "no domain " + domid);
  }
}
