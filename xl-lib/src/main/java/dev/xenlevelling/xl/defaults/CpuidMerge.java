package dev.xenlevelling.xl.defaults;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.config.ConfigValue;
import dev.xenlevelling.xl.config.Setting;
import dev.xenlevelling.xl.cpuid.CpuidParseException;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.cpuid.CpuidPolicyList;
import dev.xenlevelling.xl.defaults.Decision.Rule;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.policyfile.FeatureSetting;
import dev.xenlevelling.xl.policyfile.HostFeaturesets;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyLimits;
import dev.xenlevelling.xl.policyfile.TypePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The merge of a new domain's CPUID request from its layers, bit by bit, in this order (each
 * overriding the ones before):
 *
 * <ol>
 *   <li>the type's default policy (every bit no layer sets: libxc's {@code x});
 *   <li>the policy file: its per-feature settings, then its cpuid, then its featureset as a
 *       ceiling (every feature this host could give the type but the ceiling lacks is forced off);
 *   <li>xl.conf's {@code vm.cpuid}, then {@code vm.pv.cpuid} or {@code vm.hvm.cpuid};
 *   <li>the domain config's cpuid=;
 *   <li>{@code KEY=VALUE} on the command line;
 * </ol>
 *
 * and the hypervisor's clamp last, when libxc applies the result. The result is one libxl cpuid=
 * list (per-register strings of {@code 1 0 x k s}): libxl still hands libxc data, not calls.
 *
 * <p>With no default (no policy for the type, no {@code vm.*cpuid}) the result is the domain's
 * list itself, so xl behaves exactly as it does without xl.conf.
 */
public final class CpuidMerge {
  /** libxc's build-option features (xc_cpuid_apply_policy steps 4 and 5). */
  private static final List<String> BUILD_FEATURES =
      List.of("itsc", "pae", "vmx", "svm", "htt", "cmp-legacy");
  /**
   * The features Xen always copies from the host, whatever is asked (recalculate_cpuid_policy:
   * fdp-excp-only, no-fpu-sel): a ceiling does not force them, it could not.
   */
  static final List<String> HOST_VALUE_FEATURES = List.of("fdp-excp-only", "no-fpu-sel");

  private final MergeInput in;
  private final FeatureTable table;
  private final LinkedHashMap<RegKey, Decision[]> grid = new LinkedHashMap<>();

  private record RegKey(boolean msr, int leaf, int subleaf, Register register) {}

  private CpuidMerge(MergeInput in) {
    this.in = in;
    this.table = in.table();
  }

  /** Returns the merged request of {@code in}. */
  public static CpuidPlan merge(MergeInput in) {
    return new CpuidMerge(in).run();
  }

  /**
   * Returns the cpuid= the {@code KEY=VALUE} settings {@code extra} (one a line) set by
   * themselves, to tell the command line's bits from the config file's; empty when they set none.
   */
  public static CpuidPolicyList commandLineCpuid(String extra) {
    try {
      Optional<Setting> s = ConfigParser.parse(DomainConfigFile.COMMAND_LINE, extra).get("cpuid");
      if (s.isEmpty()) {
        return CpuidPolicyList.empty();
      }
      if (s.get().value() instanceof ConfigValue.ListValue l) {
        List<String> strings = new ArrayList<>();
        for (ConfigValue item : l.items()) {
          if (item instanceof ConfigValue.Atom a) {
            strings.add(a.text());
          }
        }
        return CpuidParser.latest().parseXendList(strings);
      }
      return CpuidParser.latest().parseLibxlString(((ConfigValue.Atom) s.get().value()).text());
    } catch (ConfigException | CpuidParseException e) {
      // The settings parsed together with the file; alone they may not (a += to nothing): then
      // every domain bit is credited to the config file.
      return CpuidPolicyList.empty();
    }
  }

  private CpuidPlan run() {
    Optional<TypePolicy> tp = in.policy().flatMap(p -> p.file().type(in.type().policyType()));
    Optional<LoadedPolicy> policy = tp.isPresent() ? in.policy() : Optional.empty();
    boolean defaults = false;
    if (tp.isPresent()) {
      String source = "policy " + policy.get().name();
      tp.get().features().forEach((name, setting) -> {
        if (setting != FeatureSetting.DEFAULT) {
          Feature f = table.byName(name).orElseThrow();
          set(BitKey.of(f, table),
              new Decision(Layer.POLICY, setting.code(), source, Rule.SETTING));
        }
      });
      if (tp.get().cpuid().isPresent()) {
        try {
          overlay(tp.get().cpuid().get().toPolicyList(), Layer.POLICY, source);
        } catch (CpuidParseException e) {
          throw new IllegalStateException("a policy file's cpuid is checked when it is read", e);
        }
      }
      Featureset ceiling = tp.get().featureset();
      in.typeMax().andNot(ceiling).features().forEach(i -> table.byIndex(i)
          .filter(f -> !HOST_VALUE_FEATURES.contains(f.name()))
          .ifPresent(f -> set(BitKey.of(f, table),
              new Decision(Layer.POLICY, '0', source, Rule.CEILING))));
      limits(tp.get().limits(), source);
      defaults = true;
    }
    String conf = "xl.conf " + in.xlConf().file() + " ";
    if (in.xlConf().cpuid().isPresent()) {
      overlay(in.xlConf().cpuid().get().list(), Layer.XL_CONF, conf + "vm.cpuid");
      defaults = true;
    }
    Optional<XlConf.CpuidSetting> typeCpuid = in.xlConf().typeCpuid(in.type());
    if (typeCpuid.isPresent()) {
      overlay(typeCpuid.get().list(), Layer.XL_CONF_TYPE, conf + typeCpuid.get().key());
      defaults = true;
    }
    if (defaults) {
      writeExplicitBuildOptions();
      writeBuildOptions();
    }
    overlay(in.domain(), Layer.DOMAIN, "domain config " + in.domainSource());
    relabelCommandLine();
    CpuidPolicyList merged = defaults ? toList() : in.domain();
    ImmutableMap.Builder<BitKey, Decision> decisions = ImmutableMap.builder();
    grid.forEach((k, cells) -> {
      for (int b = 0; b < cells.length; b++) {
        if (cells[b] != null) {
          decisions.put(new BitKey(k.msr(), k.leaf(), k.subleaf(), k.register(), b), cells[b]);
        }
      }
    });
    ImmutableMap<BitKey, Decision> d = decisions.buildOrThrow();
    return new CpuidPlan(merged, d, policy, tp, ImmutableList.<String>builder()
        .addAll(in.xlConf().warnings()).addAll(warnings(policy, tp, d)).build());
  }

  /**
   * Writes the policy's limits that are below this host's default for the type: like the
   * featureset, a limit is a ceiling (the pool's smallest), and a host that gives less keeps its
   * own. A field whose leaf the default policy lacks is left alone (libxc: "Missing leaf").
   */
  private void limits(PolicyLimits l, String source) {
    CpuLimits d = in.defaultLimits();
    int none = CpuidPolicyList.NO_SUBLEAF;
    limit(l.maxLeaf(), d.maxLeaf(), true, 0, none, 32, source);
    limit(l.leaf7MaxSubleaf().isPresent() ? OptionalLong.of(l.leaf7MaxSubleaf().getAsInt())
        : OptionalLong.empty(), d.leaf7MaxSubleaf().isPresent()
        ? OptionalLong.of(d.leaf7MaxSubleaf().getAsInt()) : OptionalLong.empty(),
        d.maxLeaf().orElse(0) >= 7, 7, 0, 32, source);
    limit(l.extdMaxLeaf(), d.extdMaxLeaf(), true, 0x80000000, none, 32, source);
    limit(l.maxPhysAddr().isPresent() ? OptionalLong.of(l.maxPhysAddr().getAsInt())
        : OptionalLong.empty(), d.maxPhysAddr().isPresent()
        ? OptionalLong.of(d.maxPhysAddr().getAsInt()) : OptionalLong.empty(),
        d.extdMaxLeaf().orElse(0) >= 0x80000008L, 0x80000008, none, 8, source);
  }

  private void limit(OptionalLong asked, OptionalLong dflt, boolean leafExists, int leaf,
      int subleaf, int bits, String source) {
    if (asked.isEmpty() || dflt.isEmpty() || !leafExists
        || asked.getAsLong() >= dflt.getAsLong()) {
      return;
    }
    for (int b = 0; b < bits; b++) {
      char c = ((asked.getAsLong() >>> b) & 1) != 0 ? '1' : '0';
      set(new BitKey(false, leaf, subleaf, Register.EAX, b),
          new Decision(Layer.POLICY, c, source, Rule.LIMIT));
    }
  }

  /** Sets bit {@code k} as {@code d} says (a later layer replaces an earlier one). */
  private void set(BitKey k, Decision d) {
    RegKey r = new RegKey(k.msr(), k.leaf(), k.subleaf(), k.register());
    grid.computeIfAbsent(r, x -> new Decision[x.msr() ? 64 : 32])[k.bit()] = d;
  }

  /** Lays {@code list}'s non-{@code x} characters over the grid. */
  private void overlay(CpuidPolicyList list, Layer layer, String source) {
    for (CpuidPolicyList.Entry e : list.cpuid()) {
      for (Register r : Register.values()) {
        Optional<String> s = e.register(r);
        if (s.isPresent()) {
          String str = s.get();
          for (int i = 0; i < str.length() && i < 32; i++) {
            char c = str.charAt(i);
            if (c != 'x') {
              set(new BitKey(false, e.leaf(), e.subleaf(), r, 31 - i),
                  new Decision(layer, c, source, Rule.CPUID));
            }
          }
        }
      }
    }
    for (CpuidPolicyList.MsrEntry m : list.msrs()) {
      for (int i = 0; i < 64; i++) {
        char c = m.policy().charAt(i);
        if (c != 'x') {
          set(new BitKey(true, m.index(), CpuidPolicyList.NO_SUBLEAF, Register.EAX, 63 - i),
              new Decision(layer, c, source, Rule.CPUID));
        }
      }
    }
  }

  /**
   * Writes libxl's build options explicitly into every register a default overrides: libxc reads
   * an {@code x} there as the default policy's bit, which would undo itsc, pae, vmx/svm and the
   * topology bits libxc set before (xc_cpuid_apply_policy steps 4, 5 and 7).
   */
  private void writeBuildOptions() {
    boolean hvm = in.type().policyType() == DomainType.HVM;
    for (String name : BUILD_FEATURES) {
      Feature f = table.byName(name).orElseThrow();
      BitKey k = BitKey.of(f, table);
      Decision[] cells = grid.get(new RegKey(k.msr(), k.leaf(), k.subleaf(), k.register()));
      if (cells == null || cells[k.bit()] != null) {
        continue;
      }
      char c = switch (name) {
        case "itsc" -> in.itsc() ? '1' : '0';
        case "pae" -> hvm ? (in.pae() ? '1' : '0') : 'x';
        case "vmx", "svm" -> hvm ? (in.nested() ? '1' : '0') : 'x';
        case "htt" -> hvm ? '1' : 'k';
        case "cmp-legacy" -> hvm ? '0' : 'k';
        default -> throw new AssertionError(name);
      };
      if (c != 'x') {
        cells[k.bit()] = new Decision(Layer.DEFAULT, c, "default policy", Rule.BUILD_OPTION);
      }
    }
  }

  /**
   * Lets the domain's own build keys ({@code pae}, {@code nestedhvm}, {@code tsc_mode} /
   * {@code disable_migrate}) win over a default that set their bits: they are domain settings,
   * and the domain's settings win over defaults.
   */
  private void writeExplicitBuildOptions() {
    boolean hvm = in.type().policyType() == DomainType.HVM;
    String source = "domain config " + in.domainSource();
    if (in.itscExplicit()) {
      explicit("itsc", in.itsc(), source + " (tsc_mode/disable_migrate)");
    }
    if (hvm && in.paeExplicit()) {
      explicit("pae", in.pae(), source + " (pae)");
    }
    if (hvm && in.nestedExplicit()) {
      explicit("vmx", in.nested(), source + " (nestedhvm)");
      explicit("svm", in.nested(), source + " (nestedhvm)");
    }
  }

  private void explicit(String name, boolean on, String source) {
    BitKey k = BitKey.of(table.byName(name).orElseThrow(), table);
    Decision[] cells = grid.get(new RegKey(k.msr(), k.leaf(), k.subleaf(), k.register()));
    if (cells != null && cells[k.bit()] != null) {
      cells[k.bit()] = new Decision(Layer.DOMAIN, on ? '1' : '0', source, Rule.BUILD_OPTION);
    }
  }

  /** Says {@code command line} for the domain's bits the command line's cpuid= set. */
  private void relabelCommandLine() {
    for (CpuidPolicyList.Entry e : in.commandLine().cpuid()) {
      for (Register r : Register.values()) {
        Optional<String> s = e.register(r);
        if (s.isPresent()) {
          for (int i = 0; i < s.get().length() && i < 32; i++) {
            relabel(new RegKey(false, e.leaf(), e.subleaf(), r), 31 - i, s.get().charAt(i));
          }
        }
      }
    }
    for (CpuidPolicyList.MsrEntry m : in.commandLine().msrs()) {
      for (int i = 0; i < 64; i++) {
        relabel(new RegKey(true, m.index(), CpuidPolicyList.NO_SUBLEAF, Register.EAX), 63 - i,
            m.policy().charAt(i));
      }
    }
  }

  private void relabel(RegKey r, int bit, char c) {
    Decision[] cells = grid.get(r);
    if (c != 'x' && cells != null && cells[bit] != null && cells[bit].layer() == Layer.DOMAIN
        && cells[bit].value() == c) {
      cells[bit] = new Decision(Layer.COMMAND_LINE, c, "command line", Rule.CPUID);
    }
  }

  /** Returns the grid as libxl's list: leaves in first-set order, MSRs after. */
  private CpuidPolicyList toList() {
    Map<Long, String[]> leaves = new LinkedHashMap<>();
    List<CpuidPolicyList.MsrEntry> msrs = new ArrayList<>();
    grid.forEach((k, cells) -> {
      char[] s = new char[cells.length];
      Arrays.fill(s, 'x');
      for (int b = 0; b < cells.length; b++) {
        if (cells[b] != null) {
          s[cells.length - 1 - b] = cells[b].value();
        }
      }
      if (k.msr()) {
        msrs.add(new CpuidPolicyList.MsrEntry(k.leaf(), new String(s)));
      } else {
        long id = ((long) k.leaf() << 32) | (k.subleaf() & 0xffffffffL);
        leaves.computeIfAbsent(id, x -> new String[4])[k.register().ordinal()] = new String(s);
      }
    });
    List<CpuidPolicyList.Entry> entries = new ArrayList<>();
    leaves.forEach((id, regs) -> {
      ImmutableList.Builder<Optional<String>> b = ImmutableList.builder();
      for (String s : regs) {
        b.add(Optional.ofNullable(s));
      }
      entries.add(new CpuidPolicyList.Entry((int) (id >>> 32), (int) (long) id, b.build()));
    });
    return CpuidPolicyList.of(entries, msrs);
  }

  /**
   * Returns a warning per feature the policy removed (outside its ceiling) that a later layer
   * turns on: the domain gets it if the host has it, but could not move to the hosts that lack it.
   */
  private ImmutableList<String> warnings(Optional<LoadedPolicy> policy, Optional<TypePolicy> tp,
      ImmutableMap<BitKey, Decision> decisions) {
    ImmutableList.Builder<String> w = ImmutableList.builder();
    if (tp.isEmpty()) {
      return w.build();
    }
    Featureset ceiling = tp.get().featureset();
    for (Feature f : table.features()) {
      if (ceiling.contains(f.index())) {
        continue;
      }
      Decision d = decisions.get(BitKey.of(f, table));
      if (d == null || d.layer().compareTo(Layer.POLICY) <= 0) {
        continue;
      }
      boolean on = d.value() == '1'
          || ((d.value() == 'k' || d.value() == 's') && in.hostFeatures().contains(f.index()));
      if (on) {
        List<String> lacking = hostsLacking(policy.get().file(), f, true);
        w.add("warning: " + f.name() + ": " + d.source() + " turns on a feature the pool policy "
            + policy.get().name() + " removed: the domain could not move to "
            + (lacking.isEmpty() ? "every host of the pool" : hostList(lacking)));
      }
    }
    return w.build();
  }

  /**
   * Returns the hosts of {@code p}'s provenance whose recorded max ({@code max}) or default
   * featureset for this guest type lacks {@code f}, in the file's order.
   */
  List<String> hostsLacking(PolicyFile p, Feature f, boolean max) {
    return hostsLacking(p, in.type().policyType(), f, max);
  }

  /** Returns the hosts of {@code p} whose recorded featureset of {@code type} lacks {@code f}. */
  static List<String> hostsLacking(PolicyFile p, DomainType type,
      Feature f, boolean max) {
    List<String> out = new ArrayList<>();
    if (p.provenance().isEmpty()) {
      return out;
    }
    for (var h : p.provenance().get().hosts()) {
      Optional<HostFeaturesets> sets = p.provenance().get().featuresets(h.name());
      Optional<Featureset> fs = sets.flatMap(s -> max ? s.maxFor(type) : s.defaultFor(type));
      if (fs.isPresent() && !fs.get().contains(f.index())) {
        out.add(h.name());
      }
    }
    return out;
  }

  /** The most host names a message lists; a large pool's are cut (deliberately unlike a list). */
  static final int MAX_NAMED = 8;

  /**
   * Returns {@code host b} or {@code hosts b, c}; past {@value #MAX_NAMED} names, the first ones
   * and how many more ({@code hosts a, b, ..., h and 9992 more}): a pool of thousands of hosts
   * would otherwise give a line of hundreds of kilobytes.
   */
  static String hostList(List<String> hosts) {
    return (hosts.size() == 1 ? "host " : "hosts ") + names(hosts);
  }

  /** Returns the names joined by ", ", at most {@value #MAX_NAMED}, then how many more. */
  static String names(List<String> names) {
    if (names.size() <= MAX_NAMED) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, MAX_NAMED)) + " and " + (names.size() - MAX_NAMED)
        + " more";
  }
}
