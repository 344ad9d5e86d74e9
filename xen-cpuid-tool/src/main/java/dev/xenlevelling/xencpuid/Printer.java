package dev.xenlevelling.xencpuid;

import com.google.common.base.Strings;
import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.MsrEntry;
import java.util.List;

/**
 * xen-cpuid's output formats, byte for byte as the latest Xen's tools/misc/xen-cpuid.c prints them
 * ({@code decode_featureset}, {@code dump_info}'s headers and {@code print_policy}). Formatters
 * take plain values and append to a {@link StringBuilder}; they never talk to the hypervisor.
 */
final class Printer {
  /** xen-cpuid's {@code COL_ALIGN} (24 since 4.17.x; 18 before). */
  static final int COL_ALIGN = 24;

  private final ImmutableList<FeatureWord> words;
  private final NameTable names;

  /** A printer labelling words as {@code words} and naming bits from {@code names}. */
  Printer(ImmutableList<FeatureWord> words, NameTable names) {
    this.words = words;
    this.names = names;
  }

  /**
   * Appends {@code decode_featureset(fs, fs.length(), name, detail)}: the name padded to COL_ALIGN,
   * 8 blanks and the words as {@code %08x} joined by {@code :}; in detail form then one line per
   * word (up to the words the tool knows), {@code "  [%02u] %-24s"} and the name of each set bit.
   */
  void decodeFeatureset(StringBuilder sb, String name, Featureset fs, boolean detail) {
    padRight(sb, name, COL_ALIGN).append("        ");
    fs.appendTo(sb);
    sb.append('\n');
    if (!detail) {
      return;
    }
    for (int i = 0; i < fs.length() && i < words.size(); i++) {
      sb.append("  [");
      if (i < 10) {
        sb.append('0');
      }
      sb.append(i).append("] ");
      padRight(sb, words.get(i).label(), COL_ALIGN);
      names.appendWord(sb, i, fs.word(i));
      sb.append('\n');
    }
  }

  /** Appends dump_info's first line, {@code nr_features: N}. */
  static void nrFeatures(StringBuilder sb, int nrFeatures) {
    sb.append("nr_features: ").append(Integer.toUnsignedString(nrFeatures)).append('\n');
  }

  /** Appends dump_info's KEY line (info form only): each word's abbreviation as {@code %-8s }. */
  void keyLine(StringBuilder sb) {
    sb.append("       ").append(Strings.padStart("KEY", COL_ALIGN, ' ')).append(' ');
    for (FeatureWord w : words) {
      padRight(sb, w.abbr(), 8).append(' ');
    }
    sb.append('\n');
  }

  /** Appends print_policy's header line for the system policies ({@code -p} without a domain). */
  static void policySizes(StringBuilder sb, int maxLeaves, int maxMsrs) {
    sb.append("Xen reports there are maximum ").append(Integer.toUnsignedString(maxLeaves))
        .append(" leaves and ").append(Integer.toUnsignedString(maxMsrs)).append(" MSRs\n");
  }

  /**
   * Appends print_policy: the title line with the number of leaves and MSRs serialised, the leaf
   * table (leaves whose four registers are zero are counted but not printed) and the MSR table.
   */
  static void policy(StringBuilder sb, String name, List<CpuidLeaf> leaves, List<MsrEntry> msrs) {
    sb.append(name).append(" policy: ").append(leaves.size()).append(" leaves, ")
        .append(msrs.size()).append(" MSRs\n");
    sb.append(" CPUID:\n");
    sb.append("  leaf     subleaf  -> eax      ebx      ecx      edx     \n");
    for (CpuidLeaf l : leaves) {
      if (l.isZero()) {
        continue;
      }
      sb.append("  ");
      hex8(sb, l.leaf()).append(':');
      hex8(sb, l.subleaf()).append(" -> ");
      hex8(sb, l.a()).append(':');
      hex8(sb, l.b()).append(':');
      hex8(sb, l.c()).append(':');
      hex8(sb, l.d()).append('\n');
    }
    sb.append(" MSRs:\n");
    sb.append("  index    -> value           \n");
    for (MsrEntry m : msrs) {
      sb.append("  ");
      hex8(sb, m.index()).append(" -> ");
      hex8(sb, (int) (m.value() >>> 32));
      hex8(sb, (int) m.value()).append('\n');
    }
  }

  static StringBuilder hex8(StringBuilder sb, int v) {
    String h = Integer.toHexString(v);
    for (int i = h.length(); i < 8; i++) {
      sb.append('0');
    }
    return sb.append(h);
  }

  /** Appends {@code s} left-justified in {@code width} ({@code %-Ns}: never truncated). */
  static StringBuilder padRight(StringBuilder sb, String s, int width) {
    sb.append(s);
    for (int i = s.length(); i < width; i++) {
      sb.append(' ');
    }
    return sb;
  }
}
