package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.cpuid.CpuidName;
import dev.xenlevelling.xl.cpuid.CpuidNameTable;
import dev.xenlevelling.xl.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A levelled policy as text for people and programs: JSON, and {@code cpuid=} lines in either of
 * xl.cfg's syntaxes for pasting into one domain's config.
 *
 * <p>A {@code cpuid=} line starts from the host's default policy (libxl's {@code host}), so to give
 * a guest exactly the pool's boot featureset on every host it turns off ({@code 0}) every feature
 * some pool member's default has that the boot set lacks, and turns on ({@code 1}) every feature
 * of the boot set some member's default lacks (the {@code |} features).
 */
public final class PolicyText {
  /** The JSON format name of {@link #json}. */
  public static final String JSON_FORMAT = "xen-levelling-policy/1";

  private final FeatureTable table;
  private final Map<Integer, String> libxlNames = new HashMap<>();

  /** Creates the renderer over {@code table} and the latest libxl's cpuid= names. */
  public PolicyText(FeatureTable table) {
    this.table = table;
    Map<String, Integer> byPosition = new HashMap<>();
    for (FeatureWord w : table.words()) {
      for (int bit = 0; bit < Featureset.BITS_PER_WORD; bit++) {
        byPosition.put(position(w, bit), w.index() * Featureset.BITS_PER_WORD + bit);
      }
    }
    for (CpuidName n : CpuidNameTable.latest().names()) {
      if (n.length() != 1 || (n.kind() != CpuidName.Kind.FIELD && n.kind() != CpuidName.Kind.MSR)) {
        continue;
      }
      Integer f = byPosition.get(n.leaf() + ":" + n.subleaf() + ":" + n.register() + ":"
          + n.firstBit());
      if (f != null) {
        String xen = table.byIndex(f).map(Feature::name).orElse("");
        // Prefer the name xen-cpuid uses when libxl accepts it too.
        if (!libxlNames.containsKey(f) || n.name().equals(xen)) {
          libxlNames.put(f, n.name());
        }
      }
    }
  }

  private static String position(FeatureWord w, int bit) {
    int subleaf = w.subleaf().isPresent() ? w.subleaf().getAsInt() : -1;
    return w.leaf() + ":" + subleaf + ":" + w.register() + ":" + bit;
  }

  /** Returns {@code policies} (one per vendor, or one) as JSON, yajl-style, ending in a newline. */
  public String json(List<LevelledPolicy> policies) {
    List<Object> pools = new ArrayList<>();
    for (LevelledPolicy p : policies) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("vendor", p.vendor().key());
      Map<String, Object> types = new LinkedHashMap<>();
      for (LevelledType lt : p.types().values()) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("boot", lt.boot().withLength(table.nrWords()).format());
        t.put("ceiling", lt.ceiling().withLength(table.nrWords()).format());
        t.put("boot_features", table.names(lt.boot()));
        t.put("ceiling_only_features", table.names(lt.ceiling().andNot(lt.boot())));
        Map<String, Object> l = new LinkedHashMap<>();
        CpuLimits cl = lt.limits();
        cl.maxLeaf().ifPresent(v -> l.put("max_leaf", v));
        cl.leaf7MaxSubleaf().ifPresent(v -> l.put("leaf7_max_subleaf", v));
        cl.extdMaxLeaf().ifPresent(v -> l.put("extd_max_leaf", v));
        cl.maxPhysAddr().ifPresent(v -> l.put("maxphysaddr", v));
        cl.xsaveMaxSize().ifPresent(v -> l.put("xsave_max_size", v));
        t.put("limits", l);
        types.put(lt.type().key(), t);
      }
      o.put("types", types);
      List<Object> hosts = new ArrayList<>();
      for (HostRef h : p.hosts()) {
        Map<String, Object> ho = new LinkedHashMap<>();
        ho.put("name", h.name());
        ho.put("fingerprint", h.fingerprint());
        hosts.add(ho);
      }
      o.put("hosts", hosts);
      o.put("notes", p.notes());
      pools.add(o);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", JSON_FORMAT);
    root.put("pools", pools);
    return Json.pretty(root);
  }

  /**
   * Returns xl.cfg text for {@code policies}: per levelled guest type (or only {@code only}), a
   * comment naming the vendor, type and member count, then the {@code cpuid=} setting, in the
   * libxl syntax or, if {@code xend}, the xend syntax (with a comment naming the MSR bits that
   * syntax cannot express). With {@code only} the comment is left out: one bare line.
   */
  public String cpuidConfig(List<LevelledPolicy> policies, List<HostCpu> hosts, boolean xend,
      java.util.Optional<GuestType> only) {
    StringBuilder sb = new StringBuilder();
    for (LevelledPolicy p : policies) {
      List<HostCpu> members = hosts.stream().filter(h -> h.vendor() == p.vendor()).toList();
      for (LevelledType lt : p.types().values()) {
        if (only.isPresent() && only.get() != lt.type()) {
          continue;
        }
        if (only.isEmpty()) {
          sb.append("# ").append(p.vendor().key()).append(' ').append(lt.type().key())
              .append(lt.type() == GuestType.HVM ? " (type = \"hvm\" or \"pvh\")"
                  : " (type = \"pv\")")
              .append(": ").append(members.size()).append(" hosts\n");
        }
        if (!xend) {
          sb.append("cpuid = \"").append(cpuidLibxl(lt, members)).append("\"\n");
          continue;
        }
        List<String> msrOnly = new ArrayList<>();
        ImmutableList<String> items = cpuidXend(lt, members, msrOnly);
        if (!msrOnly.isEmpty()) {
          sb.append("# not expressible in the xend syntax (MSR bits; use --format cpuid): ")
              .append(String.join(" ", msrOnly)).append('\n');
        }
        sb.append("cpuid = [ ");
        for (int i = 0; i < items.size(); i++) {
          sb.append(i == 0 ? "" : ", ").append('"').append(items.get(i)).append('"');
        }
        sb.append(" ]\n");
      }
    }
    return sb.toString();
  }

  /** Returns the features to turn off and on for {@code lt}, given the members' default sets. */
  Map<Integer, Character> changes(LevelledType lt, List<HostCpu> hosts) {
    List<Featureset> defs = new ArrayList<>();
    for (HostCpu h : hosts) {
      h.guest(lt.type()).ifPresent(g -> defs.add(g.defaultFeatures()));
    }
    Featureset known = table.mask(dev.xenlevelling.xc.policy.StaticMask.KNOWN);
    Map<Integer, Character> m = new TreeMap<>();
    Featureset.orAll(defs).and(known).andNot(lt.boot()).features().forEach(f -> m.put(f, '0'));
    lt.boot().andNot(Featureset.andAll(defs)).features().forEach(f -> m.put(f, '1'));
    return m;
  }

  /**
   * Returns the libxl-syntax value for {@code lt} ({@code host,avx512f=0,...}, without the
   * quotes), given the pool's members.
   *
   * @throws IllegalStateException never for the latest tables (every known feature has a libxl
   *     name); kept as a check
   */
  public String cpuidLibxl(LevelledType lt, List<HostCpu> hosts) {
    StringBuilder sb = new StringBuilder("host");
    for (Map.Entry<Integer, Character> e : changes(lt, hosts).entrySet()) {
      String name = libxlNames.get(e.getKey());
      if (name == null) {
        throw new IllegalStateException("feature " + FeatureNames.name(table, e.getKey())
            + " has no libxl cpuid= name; use the xend syntax");
      }
      sb.append(',').append(name).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  /**
   * Returns the xend-syntax items for {@code lt} ({@code 0x00000001:ecx=xxxx...}, MSB first, one
   * per leaf and subleaf), given the pool's members; features of MSR words cannot be written in
   * that syntax and are returned in {@code msrOnly}.
   */
  public ImmutableList<String> cpuidXend(LevelledType lt, List<HostCpu> hosts,
      List<String> msrOnly) {
    Map<String, Map<String, char[]>> byLeaf = new TreeMap<>();
    for (Map.Entry<Integer, Character> e : changes(lt, hosts).entrySet()) {
      int f = e.getKey();
      FeatureWord w = table.word(f / Featureset.BITS_PER_WORD);
      if (w.msr()) {
        msrOnly.add(FeatureNames.name(table, f) + "=" + e.getValue());
        continue;
      }
      String leaf = String.format(Locale.ROOT, "0x%08x", w.leaf())
          + (w.subleaf().isPresent() ? "," + w.subleaf().getAsInt() : "");
      char[] bits = byLeaf.computeIfAbsent(leaf, k -> new TreeMap<>())
          .computeIfAbsent(w.register().name().toLowerCase(Locale.ROOT), k -> {
            char[] c = new char[32];
            java.util.Arrays.fill(c, 'x');
            return c;
          });
      bits[31 - f % Featureset.BITS_PER_WORD] = e.getValue();
    }
    ImmutableList.Builder<String> out = ImmutableList.builder();
    byLeaf.forEach((leaf, regs) -> {
      StringBuilder sb = new StringBuilder(leaf).append(':');
      String sep = "";
      for (Map.Entry<String, char[]> r : regs.entrySet()) {
        sb.append(sep).append(r.getKey()).append('=').append(r.getValue());
        sep = ",";
      }
      out.add(sb.toString());
    });
    return out.build();
  }
}
