package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyFileException;
import java.util.Optional;

/**
 * The host-defaults pipeline of one new domain, ready to apply: xl.conf's policy file read and
 * checked against this host (vendor, {@link StaleCheck}), the merge of every layer
 * ({@link CpuidMerge}), and the report of what the defaults did ({@link DefaultsReport}).
 */
public final class HostDefaults {
  private final MergeInput in;
  private final CpuidPlan plan;
  private final HostView host;
  private final Optional<StaleCheck> stale;

  private HostDefaults(MergeInput in, CpuidPlan plan, HostView host,
      Optional<StaleCheck> stale) {
    this.in = in;
    this.plan = plan;
    this.host = host;
    this.stale = stale;
  }

  /**
   * Returns the merge of the defaults of {@code conf} with the domain of {@code file} on the host
   * of {@code xc}.
   *
   * @param hostName the host's name, for its fingerprint
   * @param strict refuse a stale policy (also when xl.conf says {@code vm.cpuid_policy_strict})
   * @throws XcException when the hypervisor cannot be asked
   * @throws DefaultsException when the policy file is missing, malformed or for another vendor,
   *     or stale under strict
   */
  public static HostDefaults prepare(XcInterface xc, String hostName, DomainConfigFile file,
      XlConf conf, boolean strict) throws XcException, DefaultsException {
    DomainConfig config = file.config();
    HostView host = hostView(xc, hostName);
    Optional<LoadedPolicy> policy = loadPolicy(conf, host);
    Optional<StaleCheck> stale = policy.map(p -> StaleCheck.check(p, host, xc.featureTable()));
    if (stale.isPresent() && stale.get().status() == StaleCheck.Status.STALE
        && (strict || conf.strict())) {
      throw new DefaultsException(DefaultsException.Reason.STALE_POLICY, stale.get().summary()
          + "; not creating the domain (" + (strict ? "--strict" : conf.file()
          + ": vm.cpuid_policy_strict = 1") + ")");
    }
    boolean hvm = config.type().policyType() == DomainType.HVM;
    CpuLimits defaultLimits = CpuLimits.ofPolicy(xc.getCpuPolicy(hvm ? PolicyIndex.HVM_DEFAULT
        : PolicyIndex.PV_DEFAULT));
    MergeInput in = new MergeInput(xc.featureTable(), config.type(),
        !config.type().isHvm() || config.paeEnabled(), config.invariantTsc(),
        hvm && config.nestedHvmEnabled(), config.pae().isPresent(),
        config.tscMode().isPresent() || config.disableMigrate().isPresent(),
        config.nestedHvm().isPresent(), host.host(),
        host.maxFor(config.type().policyType()), defaultLimits, policy, conf,
        config.cpuid(),
        CpuidMerge.commandLineCpuid(file.extra()), file.source());
    return new HostDefaults(in, CpuidMerge.merge(in), host, stale);
  }

  /** Returns the merged request of every layer, for {@code xc_cpuid_apply_policy}. */
  public CpuidPolicyList merged() {
    return plan.merged();
  }

  /**
   * Returns the report of a domain that got featureset {@code got} and limits {@code limits}
   * (empty: as asked).
   */
  public DefaultsReport report(Featureset got, Optional<CpuLimits> limits) {
    return report(got, limits, false);
  }

  /**
   * Returns the report of the domain as if created: the hypervisor's clamp predicted from the
   * host's featuresets ({@link Explainer#predict}).
   */
  public DefaultsReport preview() {
    return report(Explainer.predict(in, plan, host), Optional.empty(), true);
  }

  private DefaultsReport report(Featureset got, Optional<CpuLimits> limits, boolean predicted) {
    ImmutableList<FeatureExplanation> explanation =
        Explainer.explain(in, plan, host, got, limits);
    ImmutableList.Builder<String> w = ImmutableList.builder();
    stale.ifPresent(s -> w.addAll(s.warnings()));
    if (in.policy().isPresent() && plan.typePolicy().isEmpty()) {
      w.add("warning: policy " + in.policy().get().name() + " has no "
          + in.type().policyType().key() + " section: it sets nothing for this guest");
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

  /** Returns the current host as the defaults see it. */
  private static HostView hostView(XcInterface xc, String hostName) throws XcException {
    ImmutableList<Optional<Featureset>> sets = HostFingerprint.dynamicSets(xc);
    String cmdline = xc.xenCommandline();
    CpuPolicy host = xc.getCpuPolicy(PolicyIndex.HOST);
    ImmutableSortedMap.Builder<DomainType, Featureset> defs =
        ImmutableSortedMap.naturalOrder();
    ImmutableSortedMap.Builder<DomainType, Featureset> max =
        ImmutableSortedMap.naturalOrder();
    sets.get(FeaturesetIndex.PV.value())
        .ifPresent(fs -> defs.put(DomainType.PV, fs));
    sets.get(FeaturesetIndex.HVM.value())
        .ifPresent(fs -> defs.put(DomainType.HVM, fs));
    sets.get(FeaturesetIndex.PV_MAX.value())
        .ifPresent(fs -> max.put(DomainType.PV, fs));
    sets.get(FeaturesetIndex.HVM_MAX.value())
        .ifPresent(fs -> max.put(DomainType.HVM, fs));
    return new HostView(hostName, HostFingerprint.of(sets, cmdline),
        Vendor.ofIdString(host.vendor().signature()),
        sets.get(FeaturesetIndex.RAW.value()).orElse(Featureset.empty()),
        sets.get(FeaturesetIndex.HOST.value()).orElse(Featureset.empty()),
        defs.buildOrThrow(), max.buildOrThrow(),
        xc.cmdlineClearedFeatures());
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
}
