package dev.xenlevelling.xc.policy.text;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.CpuidLeaf;
import dev.xenlevelling.xc.policy.MsrEntry;
import dev.xenlevelling.xc.policy.text.XenCpuidPrintoutException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of what real {@code xen-cpuid -p} prints (tools/misc/xen-cpuid.c,
 * print_policy): {@code Xen reports there are maximum L leaves and M MSRs}, then per policy a
 * block {@code <Name> policy: N leaves, M MSRs}, {@code  CPUID:}, a heading, leaf lines
 * {@code   00000000:ffffffff -> eax:ebx:ecx:edx}, {@code  MSRs:}, a heading, MSR lines
 * {@code   000000ce -> 0000000080000000}; or {@code <Name> policy not supported by Xen} for one
 * compiled out. All-zero leaves are not printed; the blocks hold only the printed ones.
 *
 * <p>Its two callers grew apart before they shared this code, and each keeps what it accepts and
 * says: see {@link Dialect}. On xen-cpuid's own output the two read the same blocks.
 */
public final class XenCpuidPrintout {
  /** What a caller accepts beyond xen-cpuid's own output, and how it words its errors. */
  public enum Dialect {
    /**
     * The simulated hypervisor's reader (booting a host from the text): lines matched by regular
     * expressions (a header's name starts with a non-blank, trailing blanks and a CR allowed), a
     * {@code not supported} line ignored, every leaf checked at its line to be one a Xen policy
     * holds.
     */
    HYPERVISOR,
    /**
     * xl-lib's reader of a pool member's dump: fixed-column lines (a trailing CR dropped), a
     * {@code not supported} line an unsupported block, hex digits checked with their column; the
     * policies themselves are checked by the caller ({@link CpuPolicy#fromLeaves}).
     */
    POOL_MEMBER
  }

  /**
   * One policy block: its name, the 1-based line of its header, whether Xen supports it (a
   * {@code not supported} line gives an empty unsupported block), its leaves and MSRs in text
   * order (MSR flags 0).
   */
  public record Block(String name, int line, boolean supported, ImmutableList<CpuidLeaf> leaves,
      ImmutableList<MsrEntry> msrs) {}

  private static final Pattern HEADER =
      Pattern.compile("^(\\S.*?) policy: (\\d+) leaves, (\\d+) MSRs\\s*$");
  private static final Pattern LEAF = Pattern.compile(
      "^\\s+([0-9a-fA-F]{8}):([0-9a-fA-F]{8}) -> ([0-9a-fA-F]{8}):([0-9a-fA-F]{8}):"
          + "([0-9a-fA-F]{8}):([0-9a-fA-F]{8})\\s*$");
  private static final Pattern MSR =
      Pattern.compile("^\\s+([0-9a-fA-F]{8}) -> ([0-9a-fA-F]{16})\\s*$");
  private static final Pattern IGNORED = Pattern.compile(
      "^(\\s*|Xen reports there are .*|\\s+CPUID:\\s*|\\s+MSRs:\\s*|\\s+leaf\\s+subleaf\\s+->.*"
          + "|\\s+index\\s+->.*|.* policy not supported by Xen\\s*)$");
  private static final String UNSUPPORTED = " policy not supported by Xen";

  private XenCpuidPrintout() {}

  /** A policy header, {@code <Name> policy: N leaves, M MSRs}: returns the name. */
  public static Optional<String> header(Dialect dialect, String line) {
    if (dialect == Dialect.HYPERVISOR) {
      Matcher m = HEADER.matcher(line);
      return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
    int p = line.indexOf(" policy: ");
    if (p <= 0 || line.startsWith(" ")) {
      return Optional.empty();
    }
    String rest = line.substring(p + " policy: ".length()).strip();
    String[] parts = rest.split(" ");
    if (parts.length == 4 && isNumber(parts[0]) && parts[1].equals("leaves,")
        && isNumber(parts[2]) && parts[3].equals("MSRs")) {
      return Optional.of(line.substring(0, p));
    }
    return Optional.empty();
  }

  /**
   * Returns the blocks of {@code text} in text order (a name may repeat); {@code file} is for
   * messages, {@code file:line:column: ...}.
   */
  public static ImmutableList<Block> parse(Dialect dialect, String file, String text)
      throws XenCpuidPrintoutException {
    List<BlockBuilder> blocks = new ArrayList<>();
    BlockBuilder cur = null;
    boolean pool = dialect == Dialect.POOL_MEMBER;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = pool && lines[i].endsWith("\r")
          ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int ln = i + 1;
      Optional<String> h = header(dialect, line);
      Matcher m = null;
      if (h.isPresent()) {
        cur = new BlockBuilder(h.get(), ln, true);
        blocks.add(cur);
      } else if (pool && line.endsWith(UNSUPPORTED) && !line.startsWith(" ")) {
        blocks.add(new BlockBuilder(
            line.substring(0, line.length() - UNSUPPORTED.length()), ln, false));
        cur = null;
      } else if (pool ? poolIgnores(line) : IGNORED.matcher(line).matches()) {
        continue;
      } else if (pool ? poolLeaf(line) : (m = LEAF.matcher(line)).matches()) {
        requireBlock(file, ln, cur);
        cur.leaves.add(pool ? poolLeaf(file, ln, line) : hypervisorLeaf(file, ln, m));
      } else if (pool ? poolMsr(line) : (m = MSR.matcher(line)).matches()) {
        requireBlock(file, ln, cur);
        cur.msrs.add(pool ? poolMsr(file, ln, line)
            : new MsrEntry(hex(m.group(1)), 0, Long.parseUnsignedLong(m.group(2), 16)));
      } else {
        throw new XenCpuidPrintoutException(Kind.SYNTAX, file + ":" + ln + ":1: expected a line"
            + " of xen-cpuid -p output (" + (pool ? "a " : "") + "policy header,"
            + " 'LEAF:SUBLEAF -> EAX:EBX:ECX:EDX' or 'INDEX -> VALUE'), found '"
            + abbreviate(line) + "'");
      }
    }
    ImmutableList.Builder<Block> out = ImmutableList.builder();
    for (BlockBuilder b : blocks) {
      out.add(new Block(b.name, b.line, b.supported, ImmutableList.copyOf(b.leaves),
          ImmutableList.copyOf(b.msrs)));
    }
    return out.build();
  }

  private static boolean poolIgnores(String line) {
    String s = line.strip();
    return s.isEmpty() || s.equals("CPUID:") || s.equals("MSRs:")
        || s.startsWith("leaf ") || s.startsWith("index ")
        || line.startsWith("Xen reports there are maximum");
  }

  private static boolean poolLeaf(String line) {
    String s = line.strip();
    return line.startsWith(" ") && s.length() == 56 && s.charAt(8) == ':'
        && s.startsWith(" -> ", 17);
  }

  private static boolean poolMsr(String line) {
    String s = line.strip();
    return line.startsWith(" ") && s.length() == 28 && s.startsWith(" -> ", 8);
  }

  private static CpuidLeaf hypervisorLeaf(String file, int ln, Matcher m)
      throws XenCpuidPrintoutException {
    int leaf = hex(m.group(1));
    int subleaf = hex(m.group(2));
    if (!CpuPolicy.exists(leaf, subleaf)) {
      // xen-cpuid -p prints only what a Xen policy holds; anything else was not printed by it.
      throw new XenCpuidPrintoutException(Kind.CONTENT, file + ":" + ln + ":" + (m.start(1) + 1)
          + ": leaf " + m.group(1) + ":" + m.group(2) + " is not one a Xen policy holds (basic"
          + " 0-d with subleaves 4:0-5, 7:0-2, b:0-1, d:0-3e, else ffffffff; 40000000, 40000100;"
          + " 80000000-80000021)");
    }
    return new CpuidLeaf(leaf, subleaf, hex(m.group(3)), hex(m.group(4)), hex(m.group(5)),
        hex(m.group(6)));
  }

  private static CpuidLeaf poolLeaf(String file, int ln, String line)
      throws XenCpuidPrintoutException {
    String s = line.strip();
    return new CpuidLeaf(hex(file, ln, line, s, 0), hex(file, ln, line, s, 9),
        hex(file, ln, line, s, 21), hex(file, ln, line, s, 30), hex(file, ln, line, s, 39),
        hex(file, ln, line, s, 48));
  }

  private static MsrEntry poolMsr(String file, int ln, String line)
      throws XenCpuidPrintoutException {
    String s = line.strip();
    long v = ((long) hex(file, ln, line, s, 12) << 32)
        | Integer.toUnsignedLong(hex(file, ln, line, s, 20));
    return new MsrEntry(hex(file, ln, line, s, 0), 0, v);
  }

  private static int hex(String s) {
    return (int) Long.parseLong(s, 16);
  }

  private static int hex(String file, int ln, String line, String s, int at)
      throws XenCpuidPrintoutException {
    int col = line.indexOf(s) + at + 1;
    try {
      return (int) Long.parseLong(s.substring(at, at + 8), 16);
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new XenCpuidPrintoutException(Kind.SYNTAX, file + ":" + ln + ":" + col
          + ": expected 8 hex digits, found '" + abbreviate(s.substring(
              Math.min(at, s.length()), Math.min(at + 8, s.length()))) + "'");
    }
  }

  private static void requireBlock(String file, int ln, BlockBuilder cur)
      throws XenCpuidPrintoutException {
    if (cur == null) {
      throw new XenCpuidPrintoutException(Kind.SYNTAX, file + ":" + ln
          + ":1: expected a '<Name> policy: N leaves, M MSRs' line before the first leaf");
    }
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static final class BlockBuilder {
    final String name;
    final int line;
    final boolean supported;
    final List<CpuidLeaf> leaves = new ArrayList<>();
    final List<MsrEntry> msrs = new ArrayList<>();

    BlockBuilder(String name, int line, boolean supported) {
      this.name = name;
      this.line = line;
      this.supported = supported;
    }
  }
}
