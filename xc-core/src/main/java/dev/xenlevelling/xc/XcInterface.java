package dev.xenlevelling.xc;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.LevellingCaps;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.abi.Physinfo;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.PvLevelling;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.BootOptions;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuDescription;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import dev.xenlevelling.xc.hv.state.HostDirectory;
import dev.xenlevelling.xc.hv.state.HostStateException;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.PolicyError;
import dev.xenlevelling.xc.policy.PolicyException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The libxc facade: the only door to the (simulated) hypervisor for the layers above, as
 * {@code xc_interface} is in Xen. Methods mirror libxc's and fail with {@link XcException}
 * carrying libxc's errno (and Xen's err_leaf / err_subleaf / err_msr for the policy calls).
 */
public final class XcInterface {
  private final Hypervisor hv;
  private final FeatureTable table;

  private XcInterface(Hypervisor hv) {
    this.hv = hv;
    this.table = hv.host().table();
  }

  /**
   * Returns an interface to the host of the environment: {@code XENSIM_HOST}, else the default
   * under the user's state directory, which is booted from this machine's CPU on first use
   * ({@code xc_interface_open}).
   *
   * @throws XcException ENOENT if {@code XENSIM_HOST} names a directory never booted, EIO if the
   *     host's state cannot be read
   */
  public static XcInterface open() throws XcException {
    Map<String, String> env = System.getenv();
    Path dir = HostDirectory.defaultPath(env);
    boolean explicit = env.get("XENSIM_HOST") != null && !env.get("XENSIM_HOST").isEmpty();
    try {
      return new XcInterface(explicit ? HostDirectory.open(dir) : HostDirectory.openOrBootLocal(dir));
    } catch (HostStateException e) {
      throw fromState(e);
    }
  }

  /** Returns an interface to the host booted in {@code dir}. */
  public static XcInterface open(Path dir) throws XcException {
    try {
      return new XcInterface(HostDirectory.open(dir));
    } catch (HostStateException e) {
      throw fromState(e);
    }
  }

  /** Returns an interface to {@code hv} (an in-memory host, for tests and benchmarks). */
  public static XcInterface of(Hypervisor hv) {
    return new XcInterface(checkNotNull(hv, "hv"));
  }

  /**
   * Returns the host directory {@link #open()} opens in {@code env}: {@code XENSIM_HOST}, else the
   * default under the user's state directory.
   */
  public static Path hostDirectory(Map<String, String> env) {
    return HostDirectory.defaultPath(env);
  }

  /**
   * Returns an interface to a host booted in this process's memory only (tests, benchmarks, dumps
   * booted to be read) from CPU {@code source} (a file, a profile name looked up in
   * {@code profiles}, or {@code local}, as {@code xensim boot --cpu} takes it), with Xen command
   * line {@code cmdline} and {@code microcode}, else the microcode the source asks for.
   *
   * @throws XcException ENOENT if the source does not exist, EIO if it cannot be read, EINVAL if
   *     it is no CPU description
   */
  public static XcInterface bootInMemory(String source, Path profiles, String cmdline,
      Optional<Microcode> microcode) throws XcException {
    try {
      CpuSources.Loaded l = CpuSources.load(source, profiles);
      return bootInMemory(l.cpu(), cmdline, microcode.orElse(l.microcode()));
    } catch (CpuSourceException e) {
      throw fromSource(e);
    }
  }

  /**
   * Returns an interface to a host booted in this process's memory only from the CPU description
   * in {@code in} (a libvirt CPUID dump or {@code xen-cpuid -p} output, called {@code name} in
   * diagnostics), with Xen command line {@code cmdline} and the microcode as dumped.
   *
   * @throws XcException EIO if {@code in} cannot be read, EINVAL if it is no CPU description
   */
  public static XcInterface bootInMemory(String name, InputStream in, String cmdline)
      throws XcException {
    try {
      return bootInMemory(CpuSources.fromStream(name, in), cmdline, Microcode.AS_DUMPED);
    } catch (CpuSourceException e) {
      throw fromSource(e);
    }
  }

  private static XcInterface bootInMemory(CpuDescription cpu, String cmdline, Microcode ucode) {
    return new XcInterface(Hypervisor.inMemory(Host.boot(new BootConfig(cpu, cmdline, ucode))));
  }

  /**
   * Returns an interface to a fresh in-memory hypervisor over this interface's booted host: the
   * same host, booted once, with no domain but dom0 (tests that run many times on one boot).
   */
  public XcInterface inMemoryCopy() {
    return new XcInterface(Hypervisor.inMemory(hv.host()));
  }

  private static XcException fromSource(CpuSourceException e) {
    Errno errno = switch (e.reason()) {
      case NOT_FOUND -> Errno.ENOENT;
      case UNREADABLE -> Errno.EIO;
      default -> Errno.EINVAL;
    };
    return new XcException(errno, Optional.empty(), e.getMessage());
  }

  private static XcException fromState(HostStateException e) {
    Errno errno = e.reason() == HostStateException.Reason.NOT_BOOTED ? Errno.ENOENT : Errno.EIO;
    return new XcException(errno, Optional.empty(), e.getMessage());
  }

  private static XcException xc(PolicyException e) {
    return new XcException(e.errno(),
        e.position().equals(PolicyError.UNKNOWN) ? Optional.empty() : Optional.of(e.position()),
        e.getMessage());
  }

  /**
   * Returns the 12-character CPU vendor string of the host's raw CPUID leaf 0 (ebx, edx, ecx), as
   * the CPU spells it.
   */
  public String cpuVendorString() {
    return hv.host().vendorString();
  }

  /**
   * Returns the features the Xen command line's {@code cpuid=no-...} clears, as Xen's boot parses
   * them with this host's feature table.
   */
  public ImmutableSet<String> cmdlineClearedFeatures() {
    return BootOptions.parse(xenCommandline(), table).cleared();
  }

  /** Returns the feature table of the hypervisor. */
  public FeatureTable featureTable() {
    return table;
  }

  // ---------------------------------------------------------------------------------------------
  // System

  /** Returns Xen's featureset size (the sysctl with a NULL buffer). */
  public int getCpuFeaturesetSize() {
    return hv.getCpuFeaturesetSize();
  }

  /**
   * Returns the number of words copied into {@code features} from featureset {@code index}
   * ({@code xc_get_cpu_featureset}).
   *
   * @throws XcException EINVAL (bad index), EOPNOTSUPP (compiled out), or ENOBUFS when
   *     {@code features} is shorter than Xen's featureset: the words that fit have then been
   *     copied, and, as libxc, the count is not returned
   */
  public int getCpuFeatureset(int index, int[] features) throws XcException {
    try {
      return hv.getCpuFeatureset(index, features);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns featureset {@code index} whole. */
  public Featureset getCpuFeatureset(FeaturesetIndex index) throws XcException {
    int[] buf = new int[getCpuFeaturesetSize()];
    getCpuFeatureset(index.value(), buf);
    return Featureset.of(buf);
  }

  /** Returns the levelling caps ({@code xc_get_cpu_levelling_caps}). */
  public LevellingCaps getCpuLevellingCaps() {
    return hv.getCpuLevellingCaps();
  }

  /** Returns the most leaves and MSRs a policy serialises to ({@code xc_cpu_policy_get_size}). */
  public PolicySize getCpuPolicySize() {
    return new PolicySize(CpuPolicy.MAX_SERIALISED_LEAVES, CpuPolicy.MAX_SERIALISED_MSRS);
  }

  /**
   * Returns system policy {@code index} (0 raw, 1 host, 2 PV max, 3 HVM max, 4 PV default,
   * 5 HVM default; {@code xc_cpu_policy_get_system}).
   *
   * @throws XcException EINVAL (bad index), EOPNOTSUPP (compiled out)
   */
  public CpuPolicy getCpuPolicy(int index) throws XcException {
    try {
      return hv.getCpuPolicy(index);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /**
   * Returns system policy {@code index} as copied into buffers of {@code nrLeaves} leaves and
   * {@code nrMsrs} MSRs.
   *
   * @throws XcException EINVAL, EOPNOTSUPP, or ENOBUFS when a buffer is too small
   */
  public CpuPolicy getCpuPolicy(int index, int nrLeaves, int nrMsrs) throws XcException {
    try {
      return hv.getCpuPolicy(index, nrLeaves, nrMsrs);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns system policy {@code index}. */
  public CpuPolicy getCpuPolicy(PolicyIndex index) throws XcException {
    return getCpuPolicy(index.value());
  }

  /** Returns physinfo's levelling fields ({@code xc_physinfo}). */
  public Physinfo physinfo() {
    return hv.physinfo();
  }

  /**
   * Returns the version of Xen whose behaviour the simulated hypervisor follows, as
   * {@code xc_version(XENVER_version)} and {@code XENVER_extraversion} give it: the latest Xen
   * (xen.git master c447b7308b: {@code xen/Makefile}, 4.23-unstable).
   */
  public String xenVersion() {
    return "4.23-unstable";
  }

  /** Returns Xen's command line, as {@code xc_version(XENVER_commandline)}. */
  public String xenCommandline() {
    return hv.host().config().cmdline();
  }

  // ---------------------------------------------------------------------------------------------
  // Domains

  /**
   * Returns the id of a new paused domain ({@code xc_domain_create}).
   *
   * @throws XcException EINVAL for a type or paging mode the host cannot run, ENOMEM, EIO
   */
  public int createDomain(DomainType type, boolean hap, boolean nestedHvm) throws XcException {
    try {
      return hv.createDomain(type, hap, nestedHvm);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Destroys a domain ({@code xc_domain_destroy}); ESRCH, EINVAL for dom0. */
  public void destroyDomain(int domid) throws XcException {
    try {
      hv.destroyDomain(domid);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Unpauses a domain ({@code xc_domain_unpause}); its CPU policy is then frozen. */
  public void unpauseDomain(int domid) throws XcException {
    try {
      hv.unpauseDomain(domid);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns a domain's info ({@code xc_domain_getinfo_single}); ESRCH. */
  public DomainInfo getDomainInfo(int domid) throws XcException {
    try {
      return hv.getDomainInfo(domid);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns every domain, dom0 first ({@code xc_domain_getinfolist}). */
  public ImmutableList<DomainInfo> listDomains() throws XcException {
    try {
      return hv.listDomains();
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns a domain's CPU policy ({@code xc_cpu_policy_get_domain}); ESRCH. */
  public CpuPolicy getDomainCpuPolicy(int domid) throws XcException {
    try {
      return hv.getDomainCpuPolicy(domid);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /**
   * Returns a domain's CPU policy as copied into buffers of {@code nrLeaves} leaves and
   * {@code nrMsrs} MSRs; ESRCH, or ENOBUFS when a buffer is too small.
   */
  public CpuPolicy getDomainCpuPolicy(int domid, int nrLeaves, int nrMsrs) throws XcException {
    try {
      return hv.getDomainCpuPolicy(domid, nrLeaves, nrMsrs);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /**
   * Sets a domain's CPU policy ({@code xc_cpu_policy_set_domain}) and returns what Xen's silent
   * clamping changed.
   *
   * @throws XcException with Xen's errno and err fields; see {@link Hypervisor#setCpuPolicy}
   */
  public ClampReport setCpuPolicy(int domid, CpuPolicy policy) throws XcException {
    return setCpuPolicy(domid, policy.toLeaves(), policy.toMsrs());
  }

  /** Sets a domain's CPU policy from serialised leaves and MSRs (a partial list is merged). */
  public ClampReport setCpuPolicy(int domid, List<CpuidLeaf> leaves, List<MsrEntry> msrs)
      throws XcException {
    try {
      return hv.setCpuPolicy(domid, leaves, msrs);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /**
   * Sets one CPUID leaf of a domain with the old {@code XEN_DOMCTL_set_cpuid} (Xen 4.7 to 4.12,
   * libxc's {@code xc_cpuid_do_domctl}); see {@link Hypervisor#setCpuid}.
   *
   * @throws XcException EINVAL (own domain), ESRCH, ENOENT (table of 40 full)
   */
  public void setCpuid(int domid, CpuidLeaf entry) throws XcException {
    try {
      hv.setCpuid(domid, entry);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns what a domain sees when it executes CPUID (leaf, subleaf); ESRCH. */
  public CpuidLeaf guestCpuid(int domid, int leaf, int subleaf) throws XcException {
    try {
      return hv.guestCpuid(domid, leaf, subleaf);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /** Returns how a PV domain's policy reaches native CPUID on this host's levelling hardware. */
  public PvLevelling getPvLevelling(int domid) throws XcException {
    try {
      return hv.getPvLevelling(domid);
    } catch (PolicyException e) {
      throw xc(e);
    }
  }

  /**
   * Applies the CPUID policy of a new domain as libxc's {@code xc_cpuid_apply_policy} (Xen's
   * {@code tools/libs/guest/xg_cpuid_x86.c}; here {@code CpuidApplyPolicy}, steps 1 to 8) and
   * returns what Xen's clamping changed in the last policy set (the one carrying the overrides, if
   * any).
   *
   * <ol>
   *   <li>read the host featureset (ENOBUFS accepted) and
   *   <li>the default policy of the domain's type;
   *   <li>{@code restore}: rdrand, hle, rtm (HVM also mpx) from the host; max leaves clamped;
   *   <li>with {@code featureset}: it replaces the features, deep dependents of cleared
   *       features cleared (EOPNOTSUPP for set bits past Xen's words); without: itsc, and for
   *       HVM pae and vmx/svm = {@code nestedVirt};
   *   <li>topology: PV htt/cmp-legacy from the host; HVM htt=1, cmp-legacy=0, lppp doubled,
   *       Intel leaf 4 / AMD 0x80000008 ecx adjusted;
   *   <li>set_cpu_policy;
   *   <li>each {@code xend} entry in order: every given register rebuilt from its 32 characters
   *       ({@code 1} set, {@code 0} clear, {@code x} the default policy's bit, {@code k}/{@code s}
   *       the host's) over the now-clamped policy; then set_cpu_policy again;
   *   <li>the same for {@code msrs} with 64-character strings.
   * </ol>
   *
   * @throws XcException EINVAL "Missing leaf" when an entry's leaf is absent from the domain's,
   *     the default or the host policy; EINVAL for a character other than 1 0 x k s; ENOENT for
   *     an MSR absent from them; and every error of set_cpu_policy
   */
  public ClampReport cpuidApplyPolicy(int domid, boolean restore, Optional<Featureset> featureset,
      boolean pae, boolean itsc, boolean nestedVirt, List<XendCpuid> xend, List<XendMsr> msrs)
      throws XcException {
    return new CpuidApplyPolicy(this).apply(domid, restore, featureset, pae, itsc, nestedVirt,
        xend, msrs);
  }
}
