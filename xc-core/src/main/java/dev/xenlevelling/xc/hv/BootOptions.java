package dev.xenlevelling.xc.hv;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The boot options of a simulated host, parsed from a Xen command line.
 *
 * <p>Understood, as Xen parses them: {@code cpuid=<list>} ({@code no-<name>}, {@code <name>=<bool>}
 * or a bare {@code <name>}; only the negative forms and {@code rdrand} do anything, as
 * {@code parse_xen_cpuid}), {@code hap=<bool>} and {@code tsx=<bool>}. Simulated, marked as such:
 * {@code pv=0} and {@code hvm=0} stand for a Xen built without CONFIG_PV / CONFIG_HVM. Options Xen
 * would not know, and values it would refuse, are collected as {@link #warnings()} (Xen logs them
 * and boots on).
 *
 * @param cmdline the command line as given
 * @param cleared the features {@code cpuid=no-...} clears (their deep dependents go too)
 * @param forceRdrand whether {@code cpuid=rdrand} forces RDRAND on (if the hardware has it)
 * @param hap {@code hap=}: whether HAP may be used (default on)
 * @param pv whether PV guests are built in (simulated {@code pv=0})
 * @param hvm whether HVM guests are built in (simulated {@code hvm=0})
 * @param tsx {@code tsx=}: empty for Xen's default, else the boolean given
 * @param dom0Enable the features {@code dom0-cpuid=} turns on for dom0
 * @param dom0Disable the features {@code dom0-cpuid=} turns off for dom0
 * @param warnings what Xen would log about options it could not use, one line each
 */
public record BootOptions(
    String cmdline, ImmutableSet<String> cleared, boolean forceRdrand, boolean hap, boolean pv,
    boolean hvm, Optional<Boolean> tsx, ImmutableSet<String> dom0Enable,
    ImmutableSet<String> dom0Disable, ImmutableList<String> warnings) {

  /** Returns the options of an empty command line. */
  public static BootOptions defaults() {
    return parse("", FeatureTable.latest());
  }

  /** Returns the options of {@code cmdline}, names checked against {@code table}. */
  public static BootOptions parse(String cmdline, FeatureTable table) {
    Set<String> cleared = new LinkedHashSet<>();
    ImmutableList.Builder<String> warnings = ImmutableList.builder();
    boolean forceRdrand = false;
    boolean hap = true;
    boolean pv = true;
    boolean hvm = true;
    Optional<Boolean> tsx = Optional.empty();
    Set<String> dom0On = new LinkedHashSet<>();
    Set<String> dom0Off = new LinkedHashSet<>();
    for (String opt : words(cmdline)) {
      if (opt.isEmpty()) {
        continue;
      }
      int eq = opt.indexOf('=');
      String key = eq < 0 ? opt : opt.substring(0, eq);
      String val = eq < 0 ? null : opt.substring(eq + 1);
      switch (key) {
        case "cpuid":
          if (val == null || val.isEmpty()) {
            warnings.add("parameter 'cpuid' needs a value");
            break;
          }
          for (String item : val.split(",")) {
            FeatureItem it = FeatureItem.parse(item);
            String name = it.name();
            Optional<Boolean> on = it.on();
            Optional<Feature> f = table.byName(name);
            if (f.isEmpty() || on.isEmpty()) {
              warnings.add("parameter 'cpuid=" + item + "' unknown or invalid; ignored");
            } else if (!on.get()) {
              cleared.add(f.get().name());
            } else if (name.equals("rdrand")) {
              forceRdrand = true;
            }
          }
          break;
        case "dom0-cpuid":
          if (val == null || val.isEmpty()) {
            warnings.add("parameter 'dom0-cpuid' needs a value");
            break;
          }
          for (String item : val.split(",")) {
            FeatureItem it = FeatureItem.parse(item);
            String name = it.name();
            Optional<Boolean> on = it.on();
            if (table.byName(name).isEmpty() || on.isEmpty()) {
              warnings.add("parameter 'dom0-cpuid=" + item + "' unknown or invalid; ignored");
            } else if (on.get()) {
              dom0On.add(name);
              dom0Off.remove(name);
            } else {
              dom0Off.add(name);
              dom0On.remove(name);
            }
          }
          break;
        case "hap":
          hap = bool(key, val, hap, warnings);
          break;
        case "tsx":
          Optional<Boolean> t = val == null ? Optional.of(true) : parseBool(val);
          if (t.isEmpty()) {
            warnings.add("parameter 'tsx=" + val + "' invalid; ignored");
          }
          tsx = t.isPresent() ? t : tsx;
          break;
        case "pv":
          pv = bool(key, val, pv, warnings);
          break;
        case "hvm":
          hvm = bool(key, val, hvm, warnings);
          break;
        default:
          warnings.add("parameter '" + key + "' unknown; ignored (not simulated)");
      }
    }
    return new BootOptions(cmdline.trim(), ImmutableSet.copyOf(cleared), forceRdrand, hap, pv,
        hvm, tsx, ImmutableSet.copyOf(dom0On), ImmutableSet.copyOf(dom0Off), warnings.build());
  }

  private static boolean bool(String key, String val, boolean dflt,
      ImmutableList.Builder<String> warnings) {
    Optional<Boolean> b = val == null ? Optional.of(true) : parseBool(val);
    if (b.isEmpty()) {
      warnings.add("parameter '" + key + "=" + val + "' invalid; ignored");
      return dflt;
    }
    return b.get();
  }

  /** Returns the value of a Xen boolean ({@code parse_bool}), or empty if it is not one. */
  static Optional<Boolean> parseBool(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "1": case "yes": case "on": case "true": case "enable":
        return Optional.of(true);
      case "0": case "no": case "off": case "false": case "disable":
        return Optional.of(false);
      default:
        return Optional.empty();
    }
  }

  /**
   * Returns the words of {@code cmdline}: what {@code cmdline.trim().split("\\s+")} gives, less
   * empty strings, without a regular expression (start-up rule 2, docs/performance.md).
   */
  static List<String> words(String cmdline) {
    List<String> out = new ArrayList<>();
    String s = cmdline.trim();
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      boolean space = i == s.length() || isRegexSpace(s.charAt(i));
      if (space && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return out;
  }

  /** Returns whether {@code c} is in the regular expression class {@code \\s}. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
  }

  /**
   * One item of Xen's {@code cpuid=} / {@code dom0-cpuid=} list, as parse_boolean reads it:
   * {@code name} (on), {@code no-name} (off) or {@code name=BOOL}; {@code on} is empty when BOOL
   * is not a boolean Xen knows.
   */
  private record FeatureItem(String name, Optional<Boolean> on) {
    static FeatureItem parse(String item) {
      int eq = item.indexOf('=');
      if (eq >= 0) {
        return new FeatureItem(item.substring(0, eq), parseBool(item.substring(eq + 1)));
      }
      if (item.startsWith("no-")) {
        return new FeatureItem(item.substring(3), Optional.of(false));
      }
      return new FeatureItem(item, Optional.of(true));
    }
  }
}
