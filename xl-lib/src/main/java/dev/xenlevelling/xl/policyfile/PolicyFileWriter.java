package dev.xenlevelling.xl.policyfile;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.level.HostRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writer of policy files: commented YAML in a fixed layout, every string double-quoted with
 * YAML escapes, featuresets quoted (so YAML 1.1 never reads one as a number), leaves in hex.
 */
final class PolicyFileWriter {
  /** Plain words YAML 1.1 would read as something other than a string. */
  private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "on", "off", "true",
      "false", "null", "~");

  private PolicyFileWriter() {}

  static String toYaml(PolicyFile p, FeatureTable table) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("# xl CPU policy file, schema version ").append(PolicyFile.VERSION).append(".\n");
    sb.append("# Named by xl.conf's vm.cpuid_policy; schema: config-examples/policies/README.md.\n");
    p.provenance().ifPresent(pr -> sb.append("# Levelled from ").append(pr.hosts().size())
        .append(pr.hosts().size() == 1 ? " host" : " hosts")
        .append("; recompute when a host changes (reboot, microcode, Xen, command line).\n"));
    sb.append("version: ").append(PolicyFile.VERSION).append('\n');
    sb.append("vendor: ").append(p.vendor().key()).append('\n');
    for (Map.Entry<DomainType, TypePolicy> e : p.types().entrySet()) {
      sb.append('\n');
      type(sb, e.getKey(), e.getValue(), table);
    }
    p.provenance().ifPresent(pr -> {
      sb.append("\nprovenance:\n");
      sb.append("  created: ").append(quote(pr.created().toString())).append('\n');
      sb.append("  command: ").append(quote(pr.command())).append('\n');
      // Each distinct set of host featuresets once (a pool has a handful of CPU models, however
      // many hosts), in order of first use; each host names its set.
      Map<HostFeaturesets, String> ids = new LinkedHashMap<>();
      for (HostRef h : pr.hosts()) {
        pr.featuresets(h.name()).filter(fs -> !fs.isEmpty())
            .ifPresent(fs -> ids.computeIfAbsent(fs, x -> "fs" + (ids.size() + 1)));
      }
      if (!ids.isEmpty()) {
        sb.append("  # Each distinct set of host featuresets, once; a host names its set by id.\n");
        sb.append("  host_featuresets:\n");
        ids.forEach((sets, id) -> {
          sb.append("    ").append(id).append(":\n");
          for (DomainType t : DomainType.values()) {
            sets.defaultFor(t).ifPresent(fs -> sb.append("      ").append(t.key())
                .append("_default: \"").append(fs.format()).append("\"\n"));
            sets.maxFor(t).ifPresent(fs -> sb.append("      ").append(t.key())
                .append("_max: \"").append(fs.format()).append("\"\n"));
          }
        });
      }
      sb.append("  hosts:\n");
      for (HostRef h : pr.hosts()) {
        sb.append("    - name: ").append(quote(h.name())).append('\n');
        sb.append("      fingerprint: ").append(quote(h.fingerprint())).append('\n');
        pr.featuresets(h.name()).map(ids::get).ifPresent(id ->
            sb.append("      featuresets: ").append(id).append('\n'));
      }
    });
    return sb.toString();
  }

  private static void type(StringBuilder sb, DomainType type, TypePolicy t, FeatureTable table) {
    sb.append(type.key()).append(":\n");
    sb.append("  # The ceiling: ").append(type == DomainType.HVM ? "an " : "a ").append(type.name())
        .append(" guest gets nothing outside it (featureset words, xen-cpuid order).\n");
    sb.append("  featureset: \"").append(t.featureset().format()).append("\"\n");
    if (!t.features().isEmpty()) {
      sb.append("  # Per feature, as cpuid= bits: 0 off, 1 on, x default, k host, s same as before.\n");
      sb.append("  features:\n");
      List<Map.Entry<String, FeatureSetting>> fs = new ArrayList<>(t.features().entrySet());
      fs.sort(Comparator.comparingInt(
          (Map.Entry<String, FeatureSetting> e) -> table.byName(e.getKey())
              .map(Feature::index).orElse(Integer.MAX_VALUE)));
      for (Map.Entry<String, FeatureSetting> e : fs) {
        sb.append("    ").append(key(e.getKey())).append(": ");
        char c = e.getValue().code();
        sb.append(c).append('\n');
      }
    }
    t.cpuid().ifPresent(c -> {
      if (c.syntax() == CpuidText.Syntax.LIBXL) {
        sb.append("  cpuid: ").append(quote(c.items().get(0))).append('\n');
      } else {
        sb.append("  cpuid:\n");
        for (String item : c.items()) {
          sb.append("    - ").append(quote(item)).append('\n');
        }
      }
    });
    PolicyLimits l = t.limits();
    if (!l.isEmpty()) {
      sb.append("  limits:\n");
      l.maxLeaf().ifPresent(v -> sb.append("    max_leaf: ").append(hex(v)).append('\n'));
      l.leaf7MaxSubleaf().ifPresent(v -> sb.append("    leaf7_max_subleaf: ").append(v).append('\n'));
      l.extdMaxLeaf().ifPresent(v -> sb.append("    extd_max_leaf: ").append(hex(v)).append('\n'));
      l.maxPhysAddr().ifPresent(v -> sb.append("    maxphysaddr: ").append(v).append('\n'));
    }
  }

  private static String hex(long v) {
    return String.format("0x%08x", v);
  }

  /** Returns a mapping key: plain when it is a lower-case name YAML reads as a string, else quoted. */
  private static String key(String k) {
    boolean plain = !k.isEmpty() && !RESERVED.contains(k) && k.charAt(0) >= 'a' && k.charAt(0) <= 'z';
    for (int i = 0; plain && i < k.length(); i++) {
      char c = k.charAt(i);
      plain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
    return plain ? k : quote(k);
  }

  /** Returns {@code s} as a YAML double-quoted scalar. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
