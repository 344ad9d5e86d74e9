package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.defaults.Decision.Rule;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.policyfile.FeatureSetting;
import dev.xenlevelling.xl.policyfile.HostFeaturesets;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The explanation of a new domain's features: for each feature some layer asked about (not the
 * policy's ceiling alone), or that the domain lost or gained against the default, which layer
 * decided it, as {@code avx512f: off, policy /etc/xen/pool.yaml (host b lacks it)} or
 * {@code rtm: off, clamped by the hypervisor (host lacks it since microcode update)}.
 */
final class Explainer {
  private final MergeInput in;
  private final CpuidPlan plan;
  private final HostView host;
  private final FeatureTable table;
  private final DomainType type;

  private Explainer(MergeInput in, CpuidPlan plan, HostView host) {
    this.in = in;
    this.plan = plan;
    this.host = host;
    this.table = in.table();
    this.type = in.type().policyType();
  }

  /**
   * Returns the default featureset a domain of {@code in}'s type gets on {@code host} before any
   * layer: the type's default with libxl's build options applied as libxc applies them (itsc;
   * HVM: pae, vmx/svm as nestedhvm, htt on, cmp-legacy off; PV: htt and cmp-legacy as the host).
   */
  public static Featureset buildDefault(MergeInput in, HostView host) {
    FeatureTable t = in.table();
    Featureset fs = host.defaultFor(in.type().policyType()).withLength(t.nrWords());
    fs = set(t, fs, "itsc", in.itsc());
    if (in.type().policyType() == DomainType.HVM) {
      fs = set(t, fs, "pae", in.pae());
      fs = set(t, fs, "vmx", in.nested());
      fs = set(t, fs, "svm", in.nested());
      fs = set(t, fs, "htt", true);
      fs = set(t, fs, "cmp-legacy", false);
    } else {
      fs = set(t, fs, "htt", host.host().contains(index(t, "htt")));
      fs = set(t, fs, "cmp-legacy", host.host().contains(index(t, "cmp-legacy")));
    }
    for (String name : CpuidMerge.HOST_VALUE_FEATURES) {
      fs = set(t, fs, name, host.host().contains(index(t, name)));
    }
    return fs;
  }

  /**
   * Returns the featureset the hypervisor would give the domain (for {@code -N}, which creates
   * nothing): the build default with every decided bit applied ({@code 1} on, {@code 0} off,
   * {@code k}/{@code s} the host's), then within the type's max, then sanitised as Xen does.
   * A prediction over featuresets: Xen's own recalculation may also change non-feature fields.
   */
  public static Featureset predict(MergeInput in, CpuidPlan plan, HostView host) {
    FeatureTable t = in.table();
    Featureset fs = buildDefault(in, host);
    for (Feature f : t.features()) {
      Decision d = plan.decisions().get(BitKey.of(f, t));
      if (d != null) {
        boolean on = d.value() == '1'
            || ((d.value() == 'k' || d.value() == 's') && host.host().contains(f.index()));
        fs = on ? fs.with(f.index()) : fs.without(f.index());
      }
    }
    fs = fs.and(host.maxFor(in.type().policyType()));
    for (String name : CpuidMerge.HOST_VALUE_FEATURES) {
      fs = set(t, fs, name, host.host().contains(index(t, name)));
    }
    for (int i : cuts(t, plan).keySet()) {
      fs = fs.without(i);
    }
    return t.sanitise(fs);
  }

  /**
   * Returns the features the policy's limits cut, each with why: those of the leaves above its
   * max leaves (Xen's {@code x86_cpu_policy_clear_out_of_range_leaves}), and xsave when the max
   * leaf is below 0xd (Xen's {@code recalculate_cpuid_policy} clears it then). Their dependents
   * go with them when the featureset is sanitised.
   */
  static Map<Integer, String> cuts(FeatureTable t, CpuidPlan plan) {
    int none = dev.xenlevelling.xl.cpuid.CpuidPolicyList.NO_SUBLEAF;
    Optional<Long> maxLeaf = asked(plan, 0, none, 32);
    Optional<Long> maxSub = asked(plan, 7, 0, 32);
    Optional<Long> extd = asked(plan, 0x80000000, none, 32);
    Map<Integer, String> cut = new TreeMap<>();
    for (FeatureWord w : t.words()) {
      if (w.msr()) {
        continue;
      }
      long leaf = Integer.toUnsignedLong(w.leaf());
      String why = null;
      if (leaf < 0x80000000L && maxLeaf.isPresent() && leaf > maxLeaf.get()) {
        why = "its limit max_leaf 0x" + Long.toHexString(maxLeaf.get()) + " cuts leaf 0x"
            + Long.toHexString(leaf);
      } else if (leaf == 7 && maxSub.isPresent() && w.subleaf().orElse(0) > maxSub.get()) {
        why = "its limit leaf7_max_subleaf " + maxSub.get() + " cuts leaf 0x7 subleaf "
            + w.subleaf().getAsInt();
      } else if (leaf >= 0x80000000L && extd.isPresent() && leaf > extd.get()) {
        why = "its limit extd_max_leaf 0x" + Long.toHexString(extd.get()) + " cuts leaf 0x"
            + Long.toHexString(leaf);
      }
      if (why != null) {
        for (Feature f : t.features()) {
          if (f.index() / 32 == w.index()) {
            cut.put(f.index(), why);
          }
        }
      }
    }
    if (maxLeaf.isPresent() && maxLeaf.get() < 0xd) {
      cut.put(index(t, "xsave"), "its limit max_leaf 0x" + Long.toHexString(maxLeaf.get())
          + " cuts leaf 0xd");
    }
    return cut;
  }

  /** Returns the value the policy's limit decisions give a field, if they decide all of it. */
  private static Optional<Long> asked(CpuidPlan plan, int leaf, int subleaf, int bits) {
    long asked = 0;
    for (int i = 0; i < bits; i++) {
      Decision d = plan.decisions().get(new BitKey(false, leaf, subleaf,
          dev.xenlevelling.xc.policy.Register.EAX, i));
      if (d == null || d.rule() != Rule.LIMIT) {
        return Optional.empty();
      }
      asked |= (d.value() == '1' ? 1L : 0L) << i;
    }
    return Optional.of(asked);
  }

  /**
   * Returns the explanation of a domain that got featureset {@code got} and limits
   * {@code gotLimits} (empty for a prediction: then each limit is as asked).
   */
  public static ImmutableList<FeatureExplanation> explain(MergeInput in, CpuidPlan plan,
      HostView host, Featureset got, Optional<CpuLimits> gotLimits) {
    Explainer e = new Explainer(in, plan, host);
    return ImmutableList.<FeatureExplanation>builder().addAll(e.explain(got))
        .addAll(e.limits(gotLimits)).build();
  }

  /** Returns a line per limit the policy lowered (every bit of its field the policy's). */
  private ImmutableList<FeatureExplanation> limits(Optional<CpuLimits> got) {
    ImmutableList.Builder<FeatureExplanation> b = ImmutableList.builder();
    int none = dev.xenlevelling.xl.cpuid.CpuidPolicyList.NO_SUBLEAF;
    limit(b, "max_leaf", 0, none, 32, true, got.flatMap(g -> opt(g.maxLeaf())));
    limit(b, "leaf7_max_subleaf", 7, 0, 32, false, got.flatMap(g -> opt(g.leaf7MaxSubleaf())));
    limit(b, "extd_max_leaf", 0x80000000, none, 32, true, got.flatMap(g -> opt(g.extdMaxLeaf())));
    limit(b, "maxphysaddr", 0x80000008, none, 8, false, got.flatMap(g -> opt(g.maxPhysAddr())));
    return b.build();
  }

  private void limit(ImmutableList.Builder<FeatureExplanation> b, String name, int leaf,
      int subleaf, int bits, boolean hex, Optional<Long> got) {
    long asked = 0;
    String source = null;
    for (int i = 0; i < bits; i++) {
      Decision d = plan.decisions().get(new BitKey(false, leaf, subleaf,
          dev.xenlevelling.xc.policy.Register.EAX, i));
      if (d == null || d.rule() != Rule.LIMIT) {
        return;
      }
      source = d.source();
      asked |= (d.value() == '1' ? 1L : 0L) << i;
    }
    long value = got.orElse(asked);
    String text = hex ? "0x" + Long.toHexString(value) : Long.toString(value);
    String askedText = hex ? "0x" + Long.toHexString(asked) : Long.toString(asked);
    if (value == asked) {
      b.add(new FeatureExplanation(name, text, Layer.POLICY, source, "its limit, below this"
          + " host's default"));
    } else {
      b.add(new FeatureExplanation(name, text, Layer.HYPERVISOR, "clamped by the hypervisor",
          "the policy asked " + askedText + "; Xen sets this field itself"));
    }
  }

  private static Optional<Long> opt(java.util.OptionalLong v) {
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }

  private static Optional<Long> opt(java.util.OptionalInt v) {
    return v.isPresent() ? Optional.of((long) v.getAsInt()) : Optional.empty();
  }

  private ImmutableList<FeatureExplanation> explain(Featureset got) {
    Featureset def = buildDefault(in, host);
    Map<Integer, String> cut = cuts(table, plan);
    String limitSource = plan.policy().map(LoadedPolicy::name).map(n -> "policy " + n)
        .orElse("policy");
    Featureset promised = promised();
    ImmutableList.Builder<FeatureExplanation> b = ImmutableList.builder();
    for (Feature f : table.features()) {
      int i = f.index();
      Decision d = plan.decisions().get(BitKey.of(f, table));
      // Asked: by a layer after the policy. The policy's and the defaults' own decisions are
      // listed when they change what the domain gets (it has many, most agreeing with Xen's).
      boolean asked = d != null && d.layer().compareTo(Layer.POLICY) > 0;
      boolean has = got.contains(i);
      boolean lostPromise = d == null && promised.contains(i) && !has && !host.host().contains(i);
      if (!asked && !lostPromise && def.contains(i) == has) {
        continue;
      }
      boolean wanted = d == null ? def.contains(i) || lostPromise : d.value() == '1'
          || ((d.value() == 'k' || d.value() == 's') && host.host().contains(i));
      Optional<String> cutBy = wanted && !has ? cutReason(cut, i, got) : Optional.empty();
      if (cutBy.isPresent()) {
        b.add(FeatureExplanation.of(f.name(), has, Layer.POLICY, limitSource, cutBy.get()));
      } else if (wanted != has) {
        b.add(FeatureExplanation.of(f.name(), has, Layer.HYPERVISOR, "clamped by the hypervisor",
            clampReason(f, wanted, got)));
      } else if (d == null) {
        b.add(FeatureExplanation.of(f.name(), has, Layer.DEFAULT, "default policy", ""));
      } else {
        b.add(FeatureExplanation.of(f.name(), has, d.layer(), d.source(), why(f, d)));
      }
    }
    return b.build();
  }

  /**
   * Returns why a policy limit took feature {@code i}: its leaf is cut, or a prerequisite's is
   * (and the prerequisite is off).
   */
  private Optional<String> cutReason(Map<Integer, String> cut, int i, Featureset got) {
    if (cut.containsKey(i)) {
      return Optional.of(cut.get(i));
    }
    for (var e : cut.entrySet()) {
      if (!got.contains(e.getKey()) && table.deepDependents(e.getKey()).contains(i)) {
        return Optional.of("needs " + table.byIndex(e.getKey()).map(Feature::name).orElseThrow()
            + ": " + e.getValue());
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the features the policy promises a new guest and leaves to the default policy: in
   * its ceiling, not set off, and a default on every pool host whose featuresets it recorded.
   * One this host does not have is reported as clamped, never dropped silently. Without recorded
   * defaults the policy promises nothing: a ceiling alone is not an ask (Xen's max featuresets
   * hold features no host has, for migration in).
   */
  private Featureset promised() {
    if (plan.typePolicy().isEmpty()) {
      return Featureset.empty();
    }
    Featureset fs = plan.typePolicy().get().featureset();
    for (var e : plan.typePolicy().get().features().entrySet()) {
      if (e.getValue() == FeatureSetting.OFF) {
        fs = fs.without(table.byName(e.getKey()).orElseThrow().index());
      }
    }
    PolicyFile p = plan.policy().orElseThrow().file();
    boolean recorded = false;
    if (p.provenance().isPresent()) {
      // Hosts of one CPU share one value (the reader makes equal sets one): each distinct once.
      Set<HostFeaturesets> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
      distinct.addAll(p.provenance().get().featuresets().values());
      for (HostFeaturesets h : distinct) {
        Optional<Featureset> d = h.defaultFor(type);
        if (d.isPresent()) {
          fs = fs.and(d.get());
          recorded = true;
        }
      }
    }
    return recorded ? fs : Featureset.empty();
  }

  private String why(Feature f, Decision d) {
    if (d.layer() != Layer.POLICY || plan.policy().isEmpty()) {
      return d.layer() == Layer.DEFAULT && d.rule() == Rule.BUILD_OPTION ? "libxl build option"
          : "";
    }
    PolicyFile p = plan.policy().get().file();
    switch (d.rule()) {
      case CEILING: {
        List<String> lacking = CpuidMerge.hostsLacking(p, type, f, true);
        if (lacking.isEmpty()) {
          return "outside the pool's ceiling";
        }
        return CpuidMerge.hostList(lacking) + (lacking.size() == 1 ? " lacks it" : " lack it");
      }
      case SETTING: {
        FeatureSetting s = plan.typePolicy().orElseThrow().features().get(f.name());
        if (s == FeatureSetting.OFF) {
          List<String> lacking = CpuidMerge.hostsLacking(p, type, f, false);
          if (!lacking.isEmpty()) {
            return "not a default on " + CpuidMerge.hostList(lacking);
          }
        }
        return "its setting " + f.name() + ": " + (s == null ? d.value() : s.code());
      }
      case CPUID:
        return "its cpuid";
      default:
        return "";
    }
  }

  /** Returns why the hypervisor gave {@code f} another value than the layers asked for. */
  private String clampReason(Feature f, boolean wanted, Featureset got) {
    if (!wanted) {
      return "Xen keeps the host's value";
    }
    if (!host.host().contains(f.index())) {
      return hostLacks(f);
    }
    if (!host.maxFor(type).contains(f.index())) {
      return "not offered to " + (type == DomainType.HVM ? "HVM" : "PV")
          + " guests";
    }
    for (int dep : table.deepFeatures().features().toArray()) {
      if (!got.contains(dep) && table.deepDependents(dep).contains(f.index())) {
        return "needs " + table.byIndex(dep).map(Feature::name).orElse("bit " + dep)
            + ", which is off";
      }
    }
    return "Xen keeps its own value";
  }

  /**
   * Returns why the host lacks {@code f}: Xen's command line cleared it (or a prerequisite);
   * else, if the policy recorded this host with it, since when (a microcode update if the CPU
   * itself no longer reports it); else just that the host lacks it.
   */
  private String hostLacks(Feature f) {
    for (String c : host.bootCleared()) {
      Optional<Feature> cf = table.byName(c);
      if (cf.isPresent() && (cf.get().index() == f.index()
          || table.deepDependents(cf.get().index()).contains(f.index()))) {
        return "host lacks it: Xen booted with cpuid=no-" + c;
      }
    }
    Optional<HostFeaturesets> mine = plan.policy().flatMap(p -> p.file().provenance())
        .flatMap(pr -> pr.featuresets(host.name()));
    boolean had = mine.flatMap(m -> m.maxFor(type)).map(fs -> fs.contains(f.index()))
        .orElse(false);
    if (had && !host.raw().contains(f.index())) {
      return "host lacks it since microcode update";
    }
    if (had) {
      return "host lacks it since the policy was computed";
    }
    return "host lacks it";
  }

  private static Featureset set(FeatureTable t, Featureset fs, String name, boolean on) {
    int i = index(t, name);
    return on ? fs.with(i) : fs.without(i);
  }

  private static int index(FeatureTable t, String name) {
    return t.byName(name).orElseThrow(() -> new AssertionError(name)).index();
  }
}
