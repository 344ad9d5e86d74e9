package dev.xenlevelling.xl.hostdump;

import com.google.common.hash.Hashing;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Feature;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.FeaturesetFormatException;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.HostCpu;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reader of what real {@code xen-cpuid} prints in info or detail mode (tools/misc/xen-cpuid.c,
 * dump_info and COL_ALIGN): {@code nr_features: N}, the key line, {@code Static sets:} and
 * {@code Dynamic sets:} with one {@code <name>        %08x:...} line per set, a
 * {@code <name> featureset not supported by Xen} line for a set compiled out, and in detail mode
 * {@code   [NN] label  names} lines after each set.
 *
 * <p>Dynamic set names: {@code Raw Host PV Default HVM Default PV Max HVM Max} (4.17.2+), or
 * {@code Raw Host PV HVM} (4.7 to 4.17.1, where sysctl indices 2 and 3 are the defaults and no
 * max set is reported). Featuresets may be of any length (9 words in 4.7, 14 in 4.17.0, 19 now).
 *
 * <p>What the text does not say, and how it is filled in: <ul>
 *   <li>the max sets, on a Xen older than 4.17.2: taken equal to the defaults, which only makes the
 *       pool's ceiling lower (safe);
 *   <li>the vendor: xen-cpuid prints none, so it is read from the raw (else host) featureset: AMD
 *       and Hygon CPUs repeat 17 of leaf 1 edx's features in leaf 0x80000001 edx (the "common 1d"
 *       bits, 0x0183f3ff), Intel CPUs never do. A Hygon host reads as AMD (deviation: the text
 *       cannot tell them apart);
 *   <li>the limits (max leaves, maxphysaddr): unknown.
 * </ul>
 */
final class XenCpuidInfoText {
  /** The leaf 1 edx features AMD repeats in 0x80000001 edx ({@code CPUID_COMMON_1D_FEATURES}). */
  static final int COMMON_1D = 0x0183f3ff;

  private static final Set<String> DYNAMIC = Set.of(
      "Raw", "Host", "PV Default", "HVM Default", "PV Max", "HVM Max", "PV", "HVM");

  private XenCpuidInfoText() {}

  static HostCpu parse(String file, String name, String text, FeatureTable table)
      throws HostDumpException {
    Map<String, Optional<Featureset>> sets = new LinkedHashMap<>();
    int nrFeatures = -1;
    int names417 = 0;
    int namesLatest = 0;
    boolean dynamic = false;
    boolean sawSet = false;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1)
          : lines[i];
      int ln = i + 1;
      if (line.startsWith("nr_features:")) {
        nrFeatures = parseCount(line.substring("nr_features:".length()).strip());
        continue;
      }
      if (line.isBlank() || line.strip().startsWith("KEY ")
          || line.strip().equals("KEY")) {
        continue;
      }
      if (line.equals("Static sets:")) {
        dynamic = false;
        continue;
      }
      if (line.equals("Dynamic sets:")) {
        dynamic = true;
        continue;
      }
      if (line.startsWith("  [") && sawSet) {
        // Detail mode: one decoded line per word, in the naming of the tool's own Xen.
        for (String token : line.split(" ")) {
          names417 += NameStyle.ONLY_417.contains(token) ? 1 : 0;
          namesLatest += NameStyle.ONLY_LATEST.contains(token) ? 1 : 0;
        }
        continue;
      }
      if (line.startsWith(" ")) {
        throw syntax(file, ln, line);
      }
      if (line.endsWith(" featureset not supported by Xen")) {
        String set = line.substring(0, line.length() - " featureset not supported by Xen".length());
        if (dynamic) {
          checkName(file, ln, set);
          sets.put(set, Optional.empty());
        }
        sawSet = true;
        continue;
      }
      int gap = line.indexOf("  ");
      if (gap < 0) {
        throw syntax(file, ln, line);
      }
      String set = line.substring(0, gap);
      String words = line.substring(gap).stripLeading();
      int col = line.length() - words.length();
      Featureset fs;
      try {
        fs = Featureset.parse(words.strip());
      } catch (FeaturesetFormatException e) {
        throw new HostDumpException(Reason.SYNTAX, file + ":" + ln + ":" + (col + e.column())
            + ": " + set + ": " + e.reason());
      }
      if (dynamic) {
        checkName(file, ln, set);
        sets.put(set, Optional.of(fs));
      }
      sawSet = true;
    }
    if (sets.isEmpty()) {
      throw new HostDumpException(Reason.CONTENT, file
          + ": no 'Dynamic sets:' featuresets (Raw, Host, PV Default, ...) in this xen-cpuid text");
    }
    Optional<Featureset> vendorSet = sets.getOrDefault("Raw", Optional.empty())
        .or(() -> sets.getOrDefault("Host", Optional.empty()));
    if (vendorSet.isEmpty()) {
      throw new HostDumpException(Reason.CONTENT, file
          + ": neither a Raw nor a Host featureset: cannot tell the CPU vendor");
    }
    Vendor vendor = (vendorSet.get().word(2) & COMMON_1D) != 0 ? Vendor.AMD : Vendor.INTEL;
    StringBuilder fp = new StringBuilder();
    sets.forEach((k, v) -> fp.append(k).append('=')
        .append(v.map(Featureset::format).orElse("-")).append('\n'));
    HostCpu.Builder b = HostCpu.builder(name, vendor, "xen-cpuid-text:sha256:"
        + Hashing.sha256().hashString(fp, StandardCharsets.UTF_8));
    addType(b, DomainType.PV, sets, "PV");
    addType(b, DomainType.HVM, sets, "HVM");
    release(nrFeatures, sets.containsKey("PV") || sets.containsKey("HVM"),
        names417 > 0 && namesLatest == 0 ? Optional.of(true)
            : namesLatest > 0 && names417 == 0 ? Optional.of(false) : Optional.empty())
        .ifPresent(b::xen);
    return b.build();
  }

  /**
   * Returns the oldest Xen release whose xen-cpuid prints what the text shows: Xen's word count
   * ({@code nr_features}: 9 in 4.7, 10 in 4.9, 11 in 4.13, 12 in 4.16, 14 in 4.17.0, 16 in 4.17.1;
   * 18 from 4.17.2, 4.18.0, 4.19.0 and 4.20.0; 19 from 4.17.6, 4.18.6, 4.19.3, 4.20.1 and 4.21.0,
   * the stable lines having taken the last word by backport), the dynamic set names (4.17.1 and
   * older: {@code PV}, {@code HVM}) and, in detail text, whether the names are 4.17's
   * ({@code sysenter}, {@code sse41}) or the later ones ({@code sep}, {@code sse4-1}). Empty when
   * the count is missing or none of these; a count above 19 is a Xen newer than the table.
   *
   * <p>The oldest release of a word count is the safe guess for the {@code cpuid=} names: its
   * libxl's names are accepted by every release of that count (XenCpuidInfoTextTest checks it).
   */
  static Optional<XenRelease> release(int nrFeatures, boolean oldSetNames,
      Optional<Boolean> names417) {
    if (nrFeatures < 0) {
      return Optional.empty();
    }
    if (oldSetNames) {
      return switch (nrFeatures) {
        case 9 -> Optional.of(XenRelease.of(4, 7, 0));
        case 10 -> Optional.of(XenRelease.of(4, 9, 0));
        case 11 -> Optional.of(XenRelease.of(4, 13, 0));
        case 12 -> Optional.of(XenRelease.of(4, 16, 0));
        case 14 -> Optional.of(XenRelease.of(4, 17, 0));
        case 16 -> Optional.of(XenRelease.of(4, 17, 1));
        default -> Optional.empty();
      };
    }
    boolean later = names417.isPresent() && !names417.get();
    return switch (nrFeatures) {
      case 18 -> Optional.of(later ? XenRelease.of(4, 18, 0) : XenRelease.of(4, 17, 2));
      case 19 -> Optional.of(later ? XenRelease.of(4, 18, 6) : XenRelease.of(4, 17, 6));
      default -> nrFeatures > 19 ? Optional.of(XenRelease.LATEST) : Optional.empty();
    };
  }

  private static int parseCount(String s) {
    if (s.isEmpty() || s.length() > 4) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * The names that tell Xen 4.17's xen-cpuid from a later one: the spellings of the bits the two
   * name differently (the {@code name_4_17} column), less any spelling both use for some bit.
   */
  private static final class NameStyle {
    static final Set<String> ONLY_417;
    static final Set<String> ONLY_LATEST;

    static {
      Set<String> old = new java.util.HashSet<>();
      Set<String> now = new java.util.HashSet<>();
      Set<String> all417 = new java.util.HashSet<>();
      Set<String> allLatest = new java.util.HashSet<>();
      for (Feature f : FeatureTable.latest().features()) {
        allLatest.add(f.name());
        f.name417().ifPresent(all417::add);
        if (f.name417().isPresent() && !f.name417().get().equals(f.name())) {
          old.add(f.name417().get());
          now.add(f.name());
        }
      }
      old.removeAll(allLatest);
      now.removeAll(all417);
      ONLY_417 = Set.copyOf(old);
      ONLY_LATEST = Set.copyOf(now);
    }
  }

  private static void addType(HostCpu.Builder b, DomainType type,
      Map<String, Optional<Featureset>> sets, String prefix) {
    Optional<Featureset> def = sets.getOrDefault(prefix + " Default",
        sets.getOrDefault(prefix, Optional.empty()));
    if (def.isEmpty()) {
      return;
    }
    Optional<Featureset> max = sets.getOrDefault(prefix + " Max", def);
    if (HostDumps.noGuests(max.orElse(def.get()))) {
      return;
    }
    b.guest(type, def.get(), max.orElse(def.get()), CpuLimits.UNKNOWN);
  }

  private static void checkName(String file, int ln, String set) throws HostDumpException {
    if (!DYNAMIC.contains(set)) {
      throw new HostDumpException(Reason.SYNTAX, file + ":" + ln + ":1: unknown dynamic set '"
          + HostDumps.abbreviate(set) + "' (expected Raw, Host, PV Default, HVM Default, PV Max,"
          + " HVM Max, or 4.17.0's PV, HVM)");
    }
  }

  private static HostDumpException syntax(String file, int ln, String line) {
    return new HostDumpException(Reason.SYNTAX, file + ":" + ln + ":1: expected a line of"
        + " xen-cpuid info/detail output ('<set name>        %08x:%08x:...'), found '"
        + HostDumps.abbreviate(line) + "'");
  }
}
