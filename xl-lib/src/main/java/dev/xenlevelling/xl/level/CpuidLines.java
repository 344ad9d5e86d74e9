package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Register;
import dev.xenlevelling.xc.policy.StaticMask;
import dev.xenlevelling.xl.cpuid.CpuidName;
import dev.xenlevelling.xl.cpuid.CpuidNameTable;
import dev.xenlevelling.xl.cpuid.XenRelease;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The planner of a levelled guest type's {@code cpuid=} setting: one that applies on every member
 * of the pool and gives a new guest the same features and limits on each.
 *
 * <p>libxc applies a {@code cpuid=} entry only to a leaf the domain's policy already has ("Missing
 * leaf", and domain creation fails: xc_cpuid_xend_policy), so a feature in a leaf some member lacks
 * (leaf 7 subleaf 1 on Skylake, 0x80000021 on Zen 2) cannot be named. Instead the setting levels
 * the limits as the policy file does: the basic max leaf, the leaf 7 max subleaf and the extended
 * max leaf are cut to the pool's, which drops every leaf above them (and the features in them)
 * on the members that have them, and no feature above a cut is named. A member's limit the dump
 * does not give is taken as the lowest its max featureset shows (a leaf holding one of its
 * features exists).
 *
 * <p>libxl's string form names features and the basic max leaf ({@code maxleaf}) only, and only by
 * the names the pool's Xen knows ({@link XenRelease}); where it cannot say what the pool needs
 * (another limit, or a feature the release has no name for) the xend list form says it bit by
 * bit, and a note says why. The xend form has no MSR syntax, and libxl before 4.17.2 no MSR
 * names: MSR_ARCH_CAPS bits it cannot write are levelled by hiding the MSR ({@code arch-caps=0},
 * which clears them all: gen-cpuid's dependency), and a note names them. maxphysaddr is written
 * where the form can (xend); otherwise a note says the libxl form leaves it.
 */
final class CpuidLines {
  private final FeatureTable table;

  CpuidLines(FeatureTable table) {
    this.table = table;
  }

  /** The limits one member gives the type, each known or inferred; -1 where neither. */
  private record Limits(long maxLeaf, long leaf7, long extd, long maxPhysAddr) {}

  /**
   * Returns the setting for {@code lt} over {@code members} (the pool's hosts of its vendor) for
   * libxl of {@code release}, in the libxl form where it can say everything unless {@code xend}.
   */
  CpuidLine plan(LevelledType lt, List<HostCpu> members, XenRelease release, boolean xend) {
    List<HostCpu> hosts = new ArrayList<>();
    List<Limits> limits = new ArrayList<>();
    for (HostCpu h : members) {
      h.guest(lt.type()).ifPresent(g -> {
        hosts.add(h);
        limits.add(limits(g));
      });
    }
    Limits pool = min(limits);
    Map<Integer, Character> changes = new TreeMap<>();
    changes(lt, hosts).forEach((f, c) -> {
      if (inRange(table.word(f / Featureset.BITS_PER_WORD), pool)) {
        changes.put(f, c);
      }
    });
    List<String> cutsLibxlCannotSay = new ArrayList<>();
    boolean cutMaxLeaf = above(limits, hosts, pool.maxLeaf(), Limits::maxLeaf, "basic max leaf",
        new ArrayList<>());
    boolean cutLeaf7 = pool.maxLeaf() >= 7 && above(limits, hosts, pool.leaf7(), Limits::leaf7,
        "leaf 7 max subleaf", cutsLibxlCannotSay);
    boolean cutExtd = above(limits, hosts, pool.extd(), Limits::extd, "extended max leaf",
        cutsLibxlCannotSay);
    List<String> maxPhys = new ArrayList<>();
    boolean cutMaxPhys = pool.extd() >= 0x80000008L
        && above(limits, hosts, pool.maxPhysAddr(), Limits::maxPhysAddr, "maxphysaddr", maxPhys);

    CpuidNameTable names = CpuidNameTable.forRelease(release);
    List<String> unnamed = new ArrayList<>();
    boolean msrNamed = true;
    for (int f : changes.keySet()) {
      FeatureWord w = table.word(f / Featureset.BITS_PER_WORD);
      if (name(names, f).isEmpty()) {
        if (w.msr()) {
          msrNamed = false;
        } else {
          unnamed.add(FeatureNames.name(table, f));
        }
      }
    }
    Optional<Feature> archCaps = table.byName("arch-caps");
    boolean archCapsNamed = archCaps.isPresent() && name(names, archCaps.get().index()).isPresent();
    boolean libxl = !xend && release.namesKnown() && unnamed.isEmpty()
        && cutsLibxlCannotSay.isEmpty() && (msrNamed || archCapsNamed);
    List<String> notes = new ArrayList<>();
    if (!xend && !libxl) {
      List<String> why = new ArrayList<>();
      for (String cut : cutsLibxlCannotSay) {
        why.add("cut the " + cut);
      }
      if (!release.namesKnown()) {
        why.add("name features for Xen " + release + "'s libxl (the names of 4.17.0 and later"
            + " are known here)");
      } else if (!unnamed.isEmpty()) {
        why.add("name what Xen " + release + "'s libxl has no name for ("
            + String.join(" ", unnamed) + ")");
      } else if (!msrNamed && !archCapsNamed) {
        why.add("name MSR_ARCH_CAPS bits or arch-caps for Xen " + release + "'s libxl");
      }
      notes.add("the xend form, because the libxl form cannot " + String.join(", nor ", why));
    }
    if (!libxl || !msrNamed) {
      hideArchCaps(changes, pool, notes, libxl ? Optional.of(release) : Optional.empty());
    }
    if (cutMaxPhys && libxl) {
      notes.add("the libxl form cannot level " + maxPhys.get(0) + ": a guest sees its host's;"
          + " --format xend levels it");
    }
    if (libxl) {
      StringBuilder sb = new StringBuilder("host");
      if (cutMaxLeaf) {
        sb.append(",maxleaf=").append(pool.maxLeaf());
      }
      for (Map.Entry<Integer, Character> e : changes.entrySet()) {
        sb.append(',').append(name(names, e.getKey()).orElseThrow()).append('=')
            .append(e.getValue());
      }
      return new CpuidLine(CpuidLine.Form.LIBXL, ImmutableList.of(sb.toString()),
          ImmutableList.copyOf(notes));
    }
    // Keyed by leaf << 32 | (subleaf + 1), in unsigned order: basic leaves, then extended ones.
    Map<Long, Map<Register, char[]>> regs = new TreeMap<>(Long::compareUnsigned);
    if (cutMaxLeaf) {
      value(regs, 0, -1, Register.EAX, 0, 32, pool.maxLeaf());
    }
    if (cutLeaf7) {
      value(regs, 7, 0, Register.EAX, 0, 32, pool.leaf7());
    }
    if (cutExtd) {
      value(regs, 0x80000000L, -1, Register.EAX, 0, 32, pool.extd());
    }
    if (cutMaxPhys) {
      value(regs, 0x80000008L, -1, Register.EAX, 0, 8, pool.maxPhysAddr());
    }
    changes.forEach((f, c) -> {
      FeatureWord w = table.word(f / Featureset.BITS_PER_WORD);
      char[] r = reg(regs, w.leaf() & 0xffffffffL, w.subleaf().orElse(-1), w.register());
      r[31 - f % Featureset.BITS_PER_WORD] = c;
    });
    ImmutableList.Builder<String> items = ImmutableList.builder();
    regs.forEach((key, rs) -> {
      long leaf = key >>> 32;
      int subleaf = (int) (key & 0xffffffffL) - 1;
      StringBuilder sb = new StringBuilder("0x");
      String hex = Long.toHexString(leaf);
      sb.append("0".repeat(8 - hex.length())).append(hex);
      if (subleaf >= 0) {
        sb.append(',').append(subleaf);
      }
      sb.append(':');
      String sep = "";
      for (Map.Entry<Register, char[]> r : rs.entrySet()) {
        sb.append(sep).append(r.getKey().lowerName()).append('=').append(r.getValue());
        sep = ",";
      }
      items.add(sb.toString());
    });
    return new CpuidLine(CpuidLine.Form.XEND, items.build(), ImmutableList.copyOf(notes));
  }

  /**
   * Returns the features to turn off ({@code 0}) and on ({@code 1}) so that a new guest of
   * {@code lt}'s type gets {@code lt}'s boot featureset from any member's default: every known
   * feature some member's default has that the boot set lacks, and every boot feature some
   * member's default lacks (the {@code |} features).
   */
  Map<Integer, Character> changes(LevelledType lt, List<HostCpu> hosts) {
    List<Featureset> defs = new ArrayList<>();
    for (HostCpu h : hosts) {
      h.guest(lt.type()).ifPresent(g -> defs.add(g.defaultFeatures()));
    }
    Featureset known = table.mask(StaticMask.KNOWN);
    Map<Integer, Character> m = new TreeMap<>();
    Featureset.orAll(defs).and(known).andNot(lt.boot()).features().forEach(f -> m.put(f, '0'));
    lt.boot().andNot(Featureset.andAll(defs)).features().forEach(f -> m.put(f, '1'));
    return m;
  }

  /**
   * Drops the MSR changes the setting cannot write (in the xend form, or in the libxl form of
   * {@code libxl}, a release without MSR names) and, unless the setting already hides it, hides
   * MSR_ARCH_CAPS instead ({@code arch-caps=0}: every MSR bit depends on it).
   */
  private void hideArchCaps(Map<Integer, Character> changes, Limits pool, List<String> notes,
      Optional<XenRelease> libxl) {
    List<String> msr = new ArrayList<>();
    changes.entrySet().removeIf(e -> {
      if (table.word(e.getKey() / Featureset.BITS_PER_WORD).msr()) {
        msr.add(FeatureNames.name(table, e.getKey()) + "=" + e.getValue());
        return true;
      }
      return false;
    });
    Optional<Feature> archCaps = table.byName("arch-caps");
    // Nothing to hide when the setting already turns arch-caps off, or cuts the leaf holding it.
    if (msr.isEmpty() || archCaps.isEmpty()
        || changes.getOrDefault(archCaps.get().index(), ' ') == '0'
        || !inRange(table.word(archCaps.get().word()), pool)) {
      return;
    }
    changes.put(archCaps.get().index(), '0');
    notes.add((libxl.isPresent() ? "Xen " + libxl.get() + "'s libxl has no MSR names"
        : "the xend form has no MSR syntax")
        + ": arch-caps=0 hides MSR_ARCH_CAPS, whose bits differ across the pool ("
        + String.join(" ", msr) + ")");
  }

  /** Returns the libxl name of feature {@code f} in {@code names}: Xen's own, else the first. */
  private Optional<String> name(CpuidNameTable names, int f) {
    Optional<Feature> feature = table.byIndex(f);
    if (feature.isPresent()) {
      Optional<CpuidName> own = names.lookup(feature.get().name());
      if (own.isPresent() && at(own.get(), f)) {
        return Optional.of(own.get().name());
      }
    }
    for (CpuidName n : names.names()) {
      if (at(n, f)) {
        return Optional.of(n.name());
      }
    }
    return Optional.empty();
  }

  private boolean at(CpuidName n, int f) {
    if (n.length() != 1 || (n.kind() != CpuidName.Kind.FIELD && n.kind() != CpuidName.Kind.MSR)) {
      return false;
    }
    FeatureWord w = table.word(f / Featureset.BITS_PER_WORD);
    int subleaf = n.subleaf() < 0 ? -1 : n.subleaf();
    return w.msr() == (n.kind() == CpuidName.Kind.MSR) && w.leaf() == n.leaf()
        && w.subleaf().orElse(-1) == subleaf && w.register() == n.register()
        && n.firstBit() == f % Featureset.BITS_PER_WORD;
  }

  /** Returns the member's limits: the dump's, else the lowest its max featureset shows. */
  private Limits limits(GuestCpu g) {
    long basic = 0;
    long leaf7 = -1;
    long extd = 0x80000000L;
    Featureset max = g.maxFeatures();
    for (FeatureWord w : table.words()) {
      if (w.msr() || w.index() >= max.length() || max.word(w.index()) == 0) {
        continue;
      }
      long leaf = w.leaf() & 0xffffffffL;
      if (leaf >= 0x80000000L) {
        extd = Math.max(extd, leaf);
      } else {
        basic = Math.max(basic, leaf);
        if (leaf == 7) {
          leaf7 = Math.max(leaf7, w.subleaf().orElse(0));
        }
      }
    }
    CpuLimits l = g.limits();
    return new Limits(l.maxLeaf().orElse(basic),
        l.leaf7MaxSubleaf().isPresent() ? l.leaf7MaxSubleaf().getAsInt() : Math.max(leaf7, 0),
        l.extdMaxLeaf().orElse(extd),
        l.maxPhysAddr().isPresent() ? l.maxPhysAddr().getAsInt() : -1);
  }

  private static Limits min(List<Limits> all) {
    long a = Long.MAX_VALUE;
    long b = Long.MAX_VALUE;
    long c = Long.MAX_VALUE;
    long d = Long.MAX_VALUE;
    for (Limits l : all) {
      a = Math.min(a, l.maxLeaf());
      b = Math.min(b, l.leaf7());
      c = Math.min(c, l.extd());
      d = l.maxPhysAddr() < 0 ? d : Math.min(d, l.maxPhysAddr());
    }
    return new Limits(a, b, c, d == Long.MAX_VALUE ? -1 : d);
  }

  private interface Field {
    long get(Limits l);
  }

  /**
   * Returns whether some member's {@code field} is above the pool's {@code value}, adding to
   * {@code what} a phrase naming the field, the pool's value and the first such member's.
   */
  private static boolean above(List<Limits> limits, List<HostCpu> hosts, long value, Field field,
      String name, List<String> what) {
    if (value < 0) {
      return false;
    }
    for (int i = 0; i < limits.size(); i++) {
      long v = field.get(limits.get(i));
      if (v > value) {
        what.add(name + " to the pool's " + show(name, value) + " (" + hosts.get(i).name()
            + " has " + show(name, v) + ")");
        return true;
      }
    }
    return false;
  }

  private static String show(String name, long v) {
    return name.equals("maxphysaddr") || name.equals("leaf 7 max subleaf") ? Long.toString(v)
        : "0x" + Long.toHexString(v);
  }

  /** Returns whether every member has {@code w}'s leaf within the pool's limits {@code p}. */
  private static boolean inRange(FeatureWord w, Limits p) {
    if (w.msr()) {
      return true;
    }
    long leaf = w.leaf() & 0xffffffffL;
    if (leaf >= 0x80000000L) {
      return leaf <= p.extd();
    }
    if (leaf > p.maxLeaf()) {
      return false;
    }
    return leaf != 7 || w.subleaf().orElse(0) <= p.leaf7();
  }

  private static char[] reg(Map<Long, Map<Register, char[]>> regs, long leaf, int subleaf,
      Register r) {
    return regs.computeIfAbsent(leaf << 32 | (subleaf + 1), k -> new TreeMap<>())
        .computeIfAbsent(r, k -> {
          char[] c = new char[32];
          Arrays.fill(c, 'x');
          return c;
        });
  }

  /** Writes {@code value} into bits {@code first}..{@code first+bits-1} of a register, MSB first. */
  private static void value(Map<Long, Map<Register, char[]>> regs, long leaf, int subleaf,
      Register r, int first, int bits, long value) {
    char[] c = reg(regs, leaf, subleaf, r);
    for (int b = 0; b < bits; b++) {
      c[31 - (first + b)] = ((value >>> b) & 1) != 0 ? '1' : '0';
    }
  }

  /** Returns the release libxl names are chosen for: the oldest member's, else the latest. */
  static XenRelease oldest(List<HostCpu> hosts) {
    XenRelease r = XenRelease.LATEST;
    for (HostCpu h : hosts) {
      if (h.xen().isPresent()) {
        r = r.older(h.xen().get());
      }
    }
    return r;
  }
}
