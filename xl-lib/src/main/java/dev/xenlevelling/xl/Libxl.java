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
import dev.xenlevelling.xc.abi.ClampedFeature;
import dev.xenlevelling.xc.abi.DomainInfo;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.VirtCap;
import dev.xenlevelling.xc.hv.BootOptions;
import dev.xenlevelling.xc.hv.state.HostDirectory;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.defaults.BitKey;
import dev.xenlevelling.xl.defaults.CpuidMerge;
import dev.xenlevelling.xl.defaults.CpuidPlan;
import dev.xenlevelling.xl.defaults.DefaultsException;
import dev.xenlevelling.xl.defaults.DefaultsReport;
import dev.xenlevelling.xl.defaults.Explainer;
import dev.xenlevelling.xl.defaults.FeatureExplanation;
import dev.xenlevelling.xl.defaults.HostView;
import dev.xenlevelling.xl.defaults.Layer;
import dev.xenlevelling.xl.defaults.LoadedPolicy;
import dev.xenlevelling.xl.defaults.MergeInput;
import dev.xenlevelling.xl.defaults.StaleCheck;
import dev.xenlevelling.xl.defaults.XlConf;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.domain.GuestType;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.Vendor;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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
      Path dir = HostDirectory.defaultPath(System.getenv()).resolve(STATE_DIR);
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
    Prepared prep = prepare(file, conf, strict);
    CpuidPolicyList cpuid = prep.plan().merged();
    return registry.locked(() -> {
      for (DomainListing d : list()) {
        if (d.name().equals(name)) {
          throw new LibxlException(LibxlError.NAME_IN_USE,
              "\"" + name + "\" is domain " + d.info().domid());
        }
      }
      boolean hvm = config.type() != GuestType.PV;
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
        boolean pae = config.type() != GuestType.HVM || config.paeEnabled();
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
          prep.report(got.featureset(xc.featureTable()), Optional.of(limitsOf(got)), false));
    });
  }

  /**
   * Returns what creating the domain would do to its CPUID under the host-wide defaults, without
   * creating it ({@code xl -N create}): the merged request, warnings and explanation, the
   * hypervisor's clamp predicted from the host's featuresets ({@link Explainer#predict}).
   *
   * @throws DefaultsException as {@link #create(DomainConfigFile, XlConf, boolean)}
   */
  public DefaultsReport preview(DomainConfigFile file, XlConf conf, boolean strict)
      throws LibxlException, DefaultsException {
    Prepared prep = prepare(file, conf, strict);
    return prep.report(Explainer.predict(prep.in(), prep.plan(), prep.host()), Optional.empty(),
        true);
  }

  /** A merge ready to apply: its inputs, the plan, the host and the stale check. */
  private record Prepared(MergeInput in, CpuidPlan plan, HostView host,
      Optional<StaleCheck> stale) {

    /**
     * Returns the report of a domain that got (or would get) featureset {@code got} and limits
     * {@code limits} (empty: as asked).
     */
    DefaultsReport report(Featureset got, Optional<CpuLimits> limits, boolean predicted) {
      ImmutableList<FeatureExplanation> explanation =
          Explainer.explain(in, plan, host, got, limits);
      ImmutableList.Builder<String> w = ImmutableList.builder();
      stale.ifPresent(s -> w.addAll(s.warnings()));
      if (in.policy().isPresent() && plan.typePolicy().isEmpty()) {
        w.add("warning: policy " + in.policy().get().name() + " has no "
            + CpuidMerge.policyType(in.type()).key() + " section: it sets nothing for this guest");
      }
      w.addAll(plan.warnings());
      if (plan.typePolicy().isPresent()) {
        for (FeatureExplanation e : explanation) {
          Optional<Feature> f = in.table().byName(e.feature());
          if (e.layer() == Layer.HYPERVISOR && e.value().equals("off") && f.isPresent()
              && plan.decision(BitKey.of(f.get(), in.table())).isEmpty()) {
            w.add("warning: the policy offers " + e.feature() + " but the guest does not get it: "
                + e.line());
          }
        }
      }
      return new DefaultsReport(Optional.of(plan), stale, w.build(), explanation, predicted);
    }
  }

  private Prepared prepare(DomainConfigFile file, XlConf conf, boolean strict)
      throws LibxlException, DefaultsException {
    DomainConfig config = file.config();
    HostView host;
    try {
      host = hostView();
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
    Optional<LoadedPolicy> policy = loadPolicy(conf, host);
    Optional<StaleCheck> stale = policy.map(p -> StaleCheck.check(p, host, xc.featureTable()));
    if (stale.isPresent() && stale.get().status() == StaleCheck.Status.STALE
        && (strict || conf.strict())) {
      throw new DefaultsException(DefaultsException.Reason.STALE_POLICY, stale.get().summary()
          + "; not creating the domain (" + (strict ? "--strict" : conf.file()
          + ": vm.cpuid_policy_strict = 1") + ")");
    }
    boolean hvm = config.type() != GuestType.PV;
    CpuLimits defaultLimits;
    try {
      defaultLimits = limitsOf(xc.getCpuPolicy(hvm ? PolicyIndex.HVM_DEFAULT
          : PolicyIndex.PV_DEFAULT));
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
    MergeInput in = new MergeInput(xc.featureTable(), config.type(),
        config.type() != GuestType.HVM || config.paeEnabled(), config.invariantTsc(),
        hvm && config.nestedHvmEnabled(), config.pae().isPresent(),
        config.tscMode().isPresent() || config.disableMigrate().isPresent(),
        config.nestedHvm().isPresent(), host.host(),
        host.maxFor(CpuidMerge.policyType(config.type())), defaultLimits, policy, conf,
        config.cpuid(),
        CpuidMerge.commandLineCpuid(file.extra()), file.source());
    return new Prepared(in, CpuidMerge.merge(in), host, stale);
  }

  /** Returns the non-flag limits of policy {@code p} (the XSAVE size is not compared). */
  private static CpuLimits limitsOf(CpuPolicy p) {
    int paddr = p.maxPhysAddr();
    return new CpuLimits(OptionalLong.of(Integer.toUnsignedLong(p.basicMaxLeaf())),
        OptionalInt.of(p.leaf7MaxSubleaf()),
        OptionalLong.of(Integer.toUnsignedLong(p.extdMaxLeaf())),
        paddr >= 1 && paddr <= 64 ? OptionalInt.of(paddr) : OptionalInt.empty(),
        OptionalInt.empty());
  }

  /** Returns the current host as the defaults see it. */
  private HostView hostView() throws XcException {
    FeatureTable table = xc.featureTable();
    ImmutableList<Optional<Featureset>> sets = HostFingerprint.dynamicSets(xc);
    String cmdline = xc.xenCommandline();
    CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST);
    ImmutableSortedMap.Builder<dev.xenlevelling.xl.level.GuestType, Featureset> defs =
        ImmutableSortedMap.naturalOrder();
    ImmutableSortedMap.Builder<dev.xenlevelling.xl.level.GuestType, Featureset> max =
        ImmutableSortedMap.naturalOrder();
    sets.get(FeaturesetIndex.PV.value())
        .ifPresent(fs -> defs.put(dev.xenlevelling.xl.level.GuestType.PV, fs));
    sets.get(FeaturesetIndex.HVM.value())
        .ifPresent(fs -> defs.put(dev.xenlevelling.xl.level.GuestType.HVM, fs));
    sets.get(FeaturesetIndex.PV_MAX.value())
        .ifPresent(fs -> max.put(dev.xenlevelling.xl.level.GuestType.PV, fs));
    sets.get(FeaturesetIndex.HVM_MAX.value())
        .ifPresent(fs -> max.put(dev.xenlevelling.xl.level.GuestType.HVM, fs));
    return new HostView(hostName, HostFingerprint.of(sets, cmdline),
        Vendor.ofIdString(host.vendor().signature()),
        sets.get(FeaturesetIndex.RAW.value()).orElse(Featureset.empty()),
        sets.get(FeaturesetIndex.HOST.value()).orElse(Featureset.empty()),
        defs.buildOrThrow(), max.buildOrThrow(),
        BootOptions.parse(cmdline, table).cleared());
  }

  /**
   * Returns the policy file xl.conf names, read and checked against this host's vendor.
   *
   * @throws DefaultsException {@code POLICY_MISSING} at xl.conf's {@code vm.cpuid_policy} when
   *     the file cannot be read; {@code POLICY_FILE} at the policy's line and key when it is bad
   */
  private static Optional<LoadedPolicy> loadPolicy(XlConf conf, HostView host)
      throws DefaultsException {
    if (conf.policy().isEmpty()) {
      return Optional.empty();
    }
    XlConf.PolicyRef ref = conf.policy().get();
    String name = ref.path().toString();
    try {
      PolicyFile pf = host.vendor().isPresent() ? PolicyFile.read(ref.path(), host.vendor().get())
          : PolicyFile.read(ref.path());
      return Optional.of(new LoadedPolicy(name, pf));
    } catch (PolicyFileException e) {
      if (e.reason() == PolicyFileException.Reason.IO_ERROR) {
        String detail = e.detail().startsWith("cannot read: ")
            ? e.detail().substring("cannot read: ".length()) : e.detail();
        throw new DefaultsException(DefaultsException.Reason.POLICY_MISSING, ref.position()
            + ": vm.cpuid_policy: cannot read the policy file " + name + ": " + detail, e);
      }
      throw new DefaultsException(DefaultsException.Reason.POLICY_FILE, e.getMessage(), e);
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

  /** Compares every requested bit with the domain's policy and says why any differs. */
  private ImmutableList<BitOutcome> outcomes(int domid, boolean hvm, CpuidPolicyList cpuid,
      ClampReport report) throws LibxlException {
    try {
      FeatureTable table = xc.featureTable();
      CpuPolicy dom = xc.getDomainCpuPolicy(domid);
      CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST);
      CpuPolicy max = xc.getCpuPolicy(hvm ? PolicyIndex.HVM_MAX : PolicyIndex.PV_MAX);
      Featureset domFs = dom.featureset(table);
      Featureset hostFs = host.featureset(table);
      Featureset maxFs = max.featureset(table);
      ImmutableList.Builder<BitOutcome> b = ImmutableList.builder();
      for (RequestedBit r : RequestedBit.of(cpuid, table)) {
        boolean got;
        boolean hostHas;
        if (r.feature().isPresent()) {
          got = domFs.contains(r.feature().get().index());
          hostHas = hostFs.contains(r.feature().get().index());
        } else {
          got = bit(dom, r);
          hostHas = bit(host, r);
        }
        boolean wanted = r.value() == '1' || ((r.value() == 'k' || r.value() == 's') && hostHas);
        b.add(explain(r, wanted, got, hostHas, hvm, table, domFs, maxFs, report));
      }
      return b.build();
    } catch (XcException e) {
      throw new LibxlException(LibxlError.HYPERCALL_FAILED, e.getMessage(), e);
    }
  }

  private static BitOutcome explain(RequestedBit r, boolean wanted, boolean got, boolean hostHas,
      boolean hvm, FeatureTable table, Featureset domFs, Featureset maxFs, ClampReport report) {
    if (wanted == got) {
      return new BitOutcome(r, wanted, got, BitOutcome.Reason.HONOURED, "as requested");
    }
    if (r.feature().isEmpty()) {
      return new BitOutcome(r, wanted, got, BitOutcome.Reason.XEN_OVERRIDES,
          "Xen sets this field itself");
    }
    Feature f = r.feature().get();
    if (wanted && !hostHas) {
      return new BitOutcome(r, true, got, BitOutcome.Reason.HOST_LACKS, "host lacks it");
    }
    if (wanted && !maxFs.contains(f.index())) {
      return new BitOutcome(r, true, got, BitOutcome.Reason.NOT_FOR_GUEST_TYPE,
          "not offered to " + (hvm ? "HVM" : "PV") + " guests");
    }
    if (wanted) {
      for (int dep : table.deepFeatures().features().toArray()) {
        if (!domFs.contains(dep) && table.deepDependents(dep).contains(f.index())) {
          String depName = table.byIndex(dep).map(Feature::name).orElse("bit " + dep);
          return new BitOutcome(r, true, got, BitOutcome.Reason.DEPENDENCY_OFF,
              "needs " + depName + ", which is off");
        }
      }
    }
    String detail = "Xen keeps its own value";
    for (ClampedFeature c : report.removed()) {
      if (c.index() == f.index()) {
        detail = c.detail();
      }
    }
    for (ClampedFeature c : report.added()) {
      if (c.index() == f.index()) {
        detail = c.detail();
      }
    }
    return new BitOutcome(r, wanted, got, BitOutcome.Reason.XEN_OVERRIDES, detail);
  }

  /** Returns bit {@code r} of policy {@code p} (a CPUID register, or MSR_ARCH_CAPS). */
  private static boolean bit(CpuPolicy p, RequestedBit r) {
    if (r.msr()) {
      long v = 0;
      for (MsrEntry m : p.toMsrs()) {
        if (m.index() == r.leaf()) {
          v = m.value();
        }
      }
      return ((v >>> r.bit()) & 1) != 0;
    }
    return ((p.reg(r.leaf(), r.subleaf(), r.register()) >>> r.bit()) & 1) != 0;
  }

  /**
   * Returns every domain, dom0 first, with the toolstack's record of it; records of domains that
   * no longer exist (the host was rebooted) are dropped.
   */
  public ImmutableList<DomainListing> list() throws LibxlException {
    try {
      ImmutableList<DomainInfo> infos = xc.listDomains();
      // A loop, not a stream into toImmutableSet(): Guava's CollectCollectors links a dozen
      // lambdas when first used, some milliseconds of every xl list's start-up.
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
