package dev.xenlevelling.xl.hostdump;

import com.google.common.collect.ImmutableList;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.FeaturesetFormatException;
import dev.xenlevelling.xl.hostdump.HostDumpException.Reason;
import dev.xenlevelling.xl.level.RunningDomain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reader of running domains' policies as {@code xl cpuid-show DOMAIN} prints them on their host:
 * any number of {@code Domain N (NAME), TYPE, CPUID policy:} headers, each followed by its lines,
 * of which the {@code featureset} line is read. Several outputs may be concatenated in one file.
 */
public final class DomainDumps {
  private DomainDumps() {}

  /**
   * Returns the domains in {@code file}, each running on {@code host}.
   *
   * @throws HostDumpException naming the file and line of the first problem, or a file with no
   *     domain
   */
  public static ImmutableList<RunningDomain> read(Path file, String host)
      throws HostDumpException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new HostDumpException(Reason.UNREADABLE, file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), host, text);
  }

  /**
   * Returns the domains of {@code xen-cpuid -p DOMID} output ({@code Domain N policy: ...}
   * blocks), each named {@code domain N}, of guest type {@code type} (the output does not say it),
   * running on {@code host}.
   *
   * @throws HostDumpException naming the file and line of the first problem, or text with no
   *     domain block
   */
  public static ImmutableList<RunningDomain> parsePolicies(String file, String host,
      DomainType type, String text) throws HostDumpException {
    ImmutableList.Builder<RunningDomain> out = ImmutableList.builder();
    for (var e : XenCpuidPolicyDump.policies(file, text).entrySet()) {
      if (e.getKey().startsWith("Domain ")) {
        out.add(new RunningDomain(e.getKey().toLowerCase(java.util.Locale.ROOT), type,
            e.getValue().featureset(dev.xenlevelling.xc.policy.FeatureTable.latest()), host,
            XenCpuidPolicyDump.limits(e.getValue())));
      }
    }
    ImmutableList<RunningDomain> r = out.build();
    if (r.isEmpty()) {
      throw new HostDumpException(Reason.CONTENT, file
          + ": no 'Domain N policy:' block (the output of xen-cpuid -p DOMID)");
    }
    return r;
  }

  /** Returns the domains in {@code text} (read from {@code file}), running on {@code host}. */
  public static ImmutableList<RunningDomain> parse(String file, String host, String text)
      throws HostDumpException {
    ImmutableList.Builder<RunningDomain> out = ImmutableList.builder();
    String name = null;
    DomainType type = null;
    int headerLine = 0;
    String[] lines = text.split("\n", -1);
    int found = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith("Domain ") && line.endsWith(", CPUID policy:")) {
        if (name != null) {
          throw new HostDumpException(Reason.SYNTAX, file + ":" + headerLine
              + ":1: domain " + name + " has no featureset line");
        }
        int open = line.indexOf(" (");
        int close = line.lastIndexOf("), ");
        if (open < 0 || close < open) {
          throw new HostDumpException(Reason.SYNTAX, file + ":" + (i + 1)
              + ":1: expected 'Domain N (NAME), TYPE, CPUID policy:'");
        }
        name = line.substring(open + 2, close);
        String t = line.substring(close + 3, line.length() - ", CPUID policy:".length());
        type = t.equals("pv") ? DomainType.PV : DomainType.HVM; // hvm and pvh: HVM policies
        headerLine = i + 1;
      } else if (line.startsWith("  featureset ") && name != null) {
        String words = line.substring("  featureset ".length()).strip();
        try {
          out.add(new RunningDomain(name, type, Featureset.parse(words), host));
        } catch (FeaturesetFormatException e) {
          throw new HostDumpException(Reason.SYNTAX, file + ":" + (i + 1) + ": featureset: "
              + e.getMessage());
        }
        found++;
        name = null;
      }
    }
    if (name != null || found == 0) {
      throw new HostDumpException(Reason.CONTENT, file + ": expected the output of"
          + " 'xl cpuid-show DOMAIN' ('Domain N (NAME), TYPE, CPUID policy:' and a featureset line)");
    }
    return out.build();
  }
}
