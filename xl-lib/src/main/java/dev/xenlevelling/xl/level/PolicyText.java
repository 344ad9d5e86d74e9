package dev.xenlevelling.xl.level;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A levelled policy as text for people and programs: JSON, and {@code cpuid=} lines in either of
 * xl.cfg's syntaxes for pasting into one domain's config.
 *
 * <p>A {@code cpuid=} line starts from the host's default policy (libxl's {@code host}), so to give
 * a guest exactly the pool's boot featureset on every host it turns off ({@code 0}) every feature
 * some pool member's default has that the boot set lacks, turns on ({@code 1}) every feature of
 * the boot set some member's default lacks (the {@code |} features), and cuts the limits to the
 * pool's; {@link CpuidLines} says how it stays applicable on every member.
 */
public final class PolicyText {
  /** The JSON format name of {@link #json}. */
  public static final String JSON_FORMAT = "xen-levelling-policy/1";

  private final FeatureTable table;
  private final CpuidLines lines;

  /** Creates the renderer over {@code table}. */
  public PolicyText(FeatureTable table) {
    this.table = table;
    this.lines = new CpuidLines(table);
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
   * comment naming the vendor, type and member count (and the Xen release when it is not the
   * latest), the comment lines of its {@link CpuidLine#notes()}, then the {@code cpuid=} setting
   * ({@link #cpuidLine}). With {@code only} the comments are left out: one bare line, whose notes
   * are returned for the caller to show elsewhere.
   */
  public CpuidText cpuidConfig(List<LevelledPolicy> policies, List<HostCpu> hosts, boolean xend,
      Optional<DomainType> only, XenRelease release) {
    StringBuilder sb = new StringBuilder();
    ImmutableList.Builder<String> bareNotes = ImmutableList.builder();
    for (LevelledPolicy p : policies) {
      List<HostCpu> members = members(p, hosts);
      for (LevelledType lt : p.types().values()) {
        if (only.isPresent() && only.get() != lt.type()) {
          continue;
        }
        CpuidLine line = lines.plan(lt, members, release, xend);
        if (only.isEmpty()) {
          sb.append("# ").append(p.vendor().key()).append(' ').append(lt.type().key())
              .append(lt.type() == DomainType.HVM ? " (type = \"hvm\" or \"pvh\")"
                  : " (type = \"pv\")")
              .append(": ").append(members.size()).append(" hosts");
          if (!release.latest()) {
            sb.append(", libxl of Xen ").append(release);
          }
          sb.append('\n');
          for (String n : line.notes()) {
            sb.append("# ").append(n).append('\n');
          }
        } else {
          bareNotes.addAll(line.notes());
        }
        sb.append(line.setting()).append('\n');
      }
    }
    return new CpuidText(sb.toString(), bareNotes.build());
  }

  /**
   * xl.cfg text of {@code cpuid=} settings.
   *
   * @param text the settings, with their comments unless one bare line was asked for
   * @param notes the notes of a bare line, which its comments would have said
   */
  public record CpuidText(String text, ImmutableList<String> notes) {}

  /**
   * Returns the {@code cpuid=} setting that gives a new guest of {@code lt}'s type its levelled
   * policy on every member of {@code hosts} (the pool's hosts of {@code lt}'s vendor) running
   * Xen {@code release}: the libxl form where it can say everything unless {@code xend}.
   */
  public CpuidLine cpuidLine(LevelledType lt, List<HostCpu> hosts, XenRelease release,
      boolean xend) {
    return lines.plan(lt, hosts, release, xend);
  }

  /** Returns the hosts of {@code policies}' vendor. */
  public static List<HostCpu> members(LevelledPolicy p, List<HostCpu> hosts) {
    List<HostCpu> members = new ArrayList<>();
    for (HostCpu h : hosts) {
      if (h.vendor() == p.vendor()) {
        members.add(h);
      }
    }
    return members;
  }

  /**
   * Returns the Xen release whose libxl the {@code cpuid=} names are for when none is given: the
   * oldest any host's dump says it runs, else the latest.
   */
  public static XenRelease poolRelease(List<HostCpu> hosts) {
    return CpuidLines.oldest(hosts);
  }
}
