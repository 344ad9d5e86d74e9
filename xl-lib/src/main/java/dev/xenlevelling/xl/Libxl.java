package dev.xenlevelling.xl;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.LevellingCapNames;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.XendCpuid;
import dev.xenlevelling.xc.XendMsr;
import dev.xenlevelling.xc.abi.ClampReport;
import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.VirtCap;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.defaults.CpuidMerge;
import dev.xenlevelling.xl.defaults.DefaultsException;
import dev.xenlevelling.xl.defaults.DefaultsReport;
import dev.xenlevelling.xl.defaults.HostDefaults;
import dev.xenlevelling.xl.defaults.StaleCheck;
import dev.xenlevelling.xl.defaults.XlConf;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.level.CpuLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The libxl layer over the libxc facade: create (with the domain's cpuid= applied through
 * {@code xc_cpuid_apply_policy}), list, destroy, host info and a domain's effective policy.
 *
 * <p>As libxl, this layer passes the cpuid= setting down as data: the per-register override
 * strings of {@code 1 0 x k s} ({@code xc_xend_cpuid}); libxc interprets them and Xen clamps.
 * Libxl then compares the domain's policy with every requested bit and says why any differs.
 *
 * <p>Not in real libxl: the cpuid= handed down is first merged with the host-wide defaults of
 * xl.conf and the policy file it names ({@link CpuidMerge}), after the policy is checked against
 * this host (vendor, {@link StaleCheck}); each feature's deciding layer is reported
 * ({@link DefaultsReport}).
 */
public final class Libxl {
  /** Where libxl comes from: {@link #open()} over this host, or a test's libxl. */
  @FunctionalInterface
  public interface Source {
    /** Returns libxl, opened now. */
    Libxl open() throws LibxlException;
  }

  /** The toolstack's directory inside the simulated host's state directory. */
  static final String STATE_DIR = "libxl";

  private final XcInterface xc;
  private final DomainRegistry registry;
  private final String hostName;

  private Libxl(XcInterface xc, DomainRegistry registry, String hostName) {
    this.xc = xc;
    this.registry = registry;
    this.hostName = hostName;
  }

  /**
   * Returns libxl over the host of the environment ({@code XENSIM_HOST}, else the default host
   * directory), with its domain records kept beside the host's state.
   */
  public static Libxl open() throws LibxlException {
    try {
      XcInterface xc = XcInterface.open();
      Path dir = XcInterface.hostDirectory(System.getenv()).resolve(STATE_DIR);
      return new Libxl(xc, DomainRegistry.inDirectory(dir),
          HostFingerprint.hostName(System.getenv()));
    } catch (XcException e) {
      throw new LibxlException(LibxlError.NO_HYPERVISOR, e.getMessage(), e);
    }
  }

  /** Returns libxl over {@code xc}, keeping its domain records in memory (tests). */
  public static Libxl inMemory(XcInterface xc) {
    return inMemory(xc, "localhost");
  }

  /** Returns libxl over {@code xc} on a host named {@code hostName}, records in memory (tests). */
  public static Libxl inMemory(XcInterface xc, String hostName) {
    return new Libxl(checkNotNull(xc, "xc"), DomainRegistry.inMemory(),
        checkNotNull(hostName, "hostName"));
  }

  /**
   * Returns the domain {@code config} describes, created and unpaused, without host-wide
   * defaults: as {@link #create(DomainConfigFile, XlConf, boolean)} with no xl.conf.
   */
  public CreateResult create(DomainConfigFile file) throws LibxlException {
    try {
      return create(file, XlConf.none(""), false);
    } catch (DefaultsException e) {
      throw new AssertionError("no defaults, no defaults error", e);
    }
  }

  /**
   * Returns the domain {@code config} describes, created and unpaused: the name must be given
   * and free; its CPUID request is merged from the host-wide defaults of {@code conf} (the
   * policy file it names, its {@code vm.*cpuid}), the domain's cpuid= and the command line's
   * ({@link CpuidMerge}); the merged strings go to {@code xc_cpuid_apply_policy}, and if that
   * fails (a missing leaf, a bad character) the domain is destroyed again and nothing remains.
   *
   * @param file the configuration, whose texts are kept for {@code xl list -l}
   * @param conf xl.conf's CPU keys
   * @param strict refuse a stale policy (also when xl.conf says {@code vm.cpuid_policy_strict})
   * @throws DefaultsException when the policy file is missing, malformed or for another vendor,
   *     or stale under strict; nothing is created then
   */
  public CreateResult create(DomainConfigFile file, XlConf conf, boolean strict)
      throws LibxlException, DefaultsException {
    return create(file, conf, strict, false);
  }

  /**
   * Returns the domain {@code config} describes, created as {@link #create(DomainConfigFile,
   * XlConf, boolean)} does, left paused if {@code paused} ({@code xl create -p}: libxl creates
   * every domain paused and xl unpauses it unless asked not to).
   */
  public CreateResult create(DomainConfigFile file, XlConf conf, boolean strict, boolean paused)
      throws LibxlException, DefaultsException {
    DomainConfig config = file.config();
    String name = config.name().orElseThrow(
        () -> new LibxlException(LibxlError.NAME_MISSING, ""));
    HostDefaults prep = prepare(file, conf, strict);
    CpuidPolicyList cpuid = prep.merged();
    return registry.locked(() -> {
      for (DomainListing d : list()) {
        if (d.name().equals(name)) {
          throw new LibxlException(LibxlError.NAME_IN_USE,
              "\"" + name + "\" is domain " + d.info().domid());
        }
      }
      boolean hvm = config.type().policyType() == DomainType.HVM;
      boolean hap = hvm && config.hap().orElse(
          xc.physinfo().virtCaps().contains(VirtCap.HAP));
      boolean nested = hvm && config.nestedHvmEnabled();
      int domid;
      try {
        domid = xc.createDomain(hvm ? DomainType.HVM : DomainType.PV, hap, nested);
      } catch (XcException e) {
        throw new LibxlException(LibxlError.CREATE_FAILED, e.getMessage(), e);
      }
      ClampReport report;
      try {
        boolean pae = !config.type().isHvm() || config.paeEnabled();
        report = xc.cpuidApplyPolicy(domid, false, Optional.empty(), pae,
            config.invariantTsc(), nested, xend(cpuid), msrs(cpuid));
        if (!paused) {
          xc.unpauseDomain(domid);
        }
      } catch (XcException e) {
        destroyQuietly(domid);
        throw new LibxlException(LibxlError.CPUID_POLICY_FAILED, e.getMessage(), e);
      }
      registry.put(new DomainRecord(domid, name, config.type(), config.memoryMb(),
          config.vcpus(), file.source(), file.text(), file.extra()));
      CpuPolicy got;
      try {
        got = xc.getDomainCpuPolicy(domid);
      } catch (XcException e) {
        throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
      }
      return new CreateResult(domid, name, outcomes(domid, hvm, cpuid, report),
          prep.report(got.featureset(xc.featureTable()), Optional.of(CpuLimits.ofPolicy(got))));
    });
  }

  /**
   * Returns what creating the domain would do to its CPUID under the host-wide defaults, without
   * creating it ({@code xl -N create}): the merged request, warnings and explanation, the
   * hypervisor's clamp predicted from the host's featuresets ({@link HostDefaults#preview}).
   *
   * @throws DefaultsException as {@link #create(DomainConfigFile, XlConf, boolean)}
   */
  public DefaultsReport preview(DomainConfigFile file, XlConf conf, boolean strict)
      throws LibxlException, DefaultsException {
    return prepare(file, conf, strict).preview();
  }

  /** Returns the defaults pipeline of one new domain on this host. */
  private HostDefaults prepare(DomainConfigFile file, XlConf conf, boolean strict)
      throws LibxlException, DefaultsException {
    try {
      return HostDefaults.prepare(xc, hostName, file, conf, strict);
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
  }

  private void destroyQuietly(int domid) {
    try {
      xc.destroyDomain(domid);
    } catch (XcException e) {
      // The domain is half made; the error that matters is the one being reported.
    }
  }

  /** Returns libxl's cpuid entries as libxc's {@code xc_xend_cpuid} list. */
  static List<XendCpuid> xend(CpuidPolicyList list) {
    List<XendCpuid> out = new ArrayList<>();
    for (CpuidPolicyList.Entry e : list.cpuid()) {
      out.add(new XendCpuid(e.leaf(), e.subleaf(), e.registers().get(0), e.registers().get(1),
          e.registers().get(2), e.registers().get(3)));
    }
    return out;
  }

  /** Returns libxl's MSR entries as libxc's {@code xc_msr} list. */
  static List<XendMsr> msrs(CpuidPolicyList list) {
    List<XendMsr> out = new ArrayList<>();
    for (CpuidPolicyList.MsrEntry m : list.msrs()) {
      out.add(new XendMsr(m.index(), m.policy()));
    }
    return out;
  }

  /** Compares every requested bit with the domain's policy ({@link ClampCheck}). */
  private ImmutableList<BitOutcome> outcomes(int domid, boolean hvm, CpuidPolicyList cpuid,
      ClampReport report) throws LibxlException {
    try {
      return ClampCheck.outcomes(xc, domid, hvm, cpuid, report);
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
  }

  /**
   * Returns every domain, dom0 first, with the toolstack's record of it; records of domains that
   * no longer exist (the host was rebooted) are dropped.
   */
  public ImmutableList<DomainListing> list() throws LibxlException {
    try {
      ImmutableList<DomainInfo> infos = xc.listDomains();
      // A loop, not toImmutableSet(): start-up rule 4 (docs/performance.md).
      ImmutableSet.Builder<Integer> live = ImmutableSet.builder();
      for (DomainInfo i : infos) {
        live.add(i.domid());
      }
      ImmutableMap<Integer, DomainRecord> records = registry.live(live.build());
      ImmutableList.Builder<DomainListing> b = ImmutableList.builder();
      for (DomainInfo i : infos) {
        b.add(new DomainListing(i, Optional.ofNullable(records.get(i.domid()))));
      }
      return b.build();
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
  }

  /** Returns the domain named (or numbered) {@code spec}, as xl's find_domain. */
  public DomainListing find(String spec) throws LibxlException {
    for (DomainListing d : list()) {
      if (d.name().equals(spec) || Integer.toString(d.info().domid()).equals(spec)) {
        return d;
      }
    }
    throw new LibxlException(LibxlError.NO_SUCH_DOMAIN, spec);
  }

  /** Destroys the domain named (or numbered) {@code spec}; domain 0 cannot be. */
  public void destroy(String spec) throws LibxlException {
    registry.locked(() -> {
      DomainListing d = find(spec);
      int domid = d.info().domid();
      if (domid == 0) {
        throw new LibxlException(LibxlError.DOM0, "");
      }
      try {
        xc.destroyDomain(domid);
      } catch (XcException e) {
        throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
      }
      registry.remove(domid);
      return null;
    });
  }

  /**
   * Returns the configuration a domain was created from, as {@code xl list -l} prints it
   * (re-parsed from the saved config, as xl does); empty for dom0.
   */
  public Optional<DomainConfig> config(DomainListing d) throws LibxlException {
    if (d.record().isEmpty()) {
      return Optional.empty();
    }
    DomainRecord r = d.record().get();
    try {
      return Optional.of(DomainConfigFile.parse(r.configSource(), r.configText(), r.extraText())
          .config());
    } catch (ConfigException e) {
      throw new LibxlException(LibxlError.STATE_IO, "saved config: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the type of Xen's system policies domain {@code d} has: its configured type's, else
   * (dom0, which xl did not create) the hypervisor's {@code XEN_DOMINF_hvm_guest}.
   */
  public static DomainType policyType(DomainListing d) {
    return d.record().map(r -> r.type().policyType())
        .orElse(d.info().type());
  }

  /**
   * Returns the domain's type as libxl's JSON names it ({@code pv}, {@code pvh}, {@code hvm}):
   * its configured type, else (dom0, which xl did not create) Xen's {@code pv} or {@code hvm}.
   */
  public static String typeName(DomainListing d) {
    return d.record().map(r -> r.type().jsonName())
        .orElse(d.info().type().name().toLowerCase(Locale.ROOT));
  }

  /** Returns the domain's CPU policy as Xen keeps it. */
  public CpuPolicy domainPolicy(DomainListing d) throws LibxlException {
    try {
      return xc.getDomainCpuPolicy(d.info().domid());
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
  }

  /** Returns the feature table the hypervisor uses. */
  public FeatureTable featureTable() {
    return xc.featureTable();
  }

  /** Returns what {@code xl info} shows about levelling. */
  public HostInfo info() throws LibxlException {
    try {
      Featureset hw = xc.getCpuFeatureset(FeaturesetIndex.HOST);
      CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST);
      // The same names as xen-cpuid --levelling: Xen's LCAP_* groups (faulting, 1cd, ...).
      ImmutableList<String> caps = LevellingCapNames.names(xc.getCpuLevellingCaps().value());
      return new HostInfo(hw, xc.physinfo().virtCapsText(), caps,
          host.vendor().signature(), host.family(), host.model(), host.stepping());
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
  }
}
