package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xl.cpuid.XenRelease;
import dev.xenlevelling.xl.AtomicFiles;
import dev.xenlevelling.xl.hostdump.DomainDumps;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.hostdump.HostDumps;
import dev.xenlevelling.xl.hostdump.PolicyFilePool;
import dev.xenlevelling.xl.level.GuestType;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.LevelException;
import dev.xenlevelling.xl.level.LevelledPolicy;
import dev.xenlevelling.xl.level.LevelledType;
import dev.xenlevelling.xl.level.PolicyText;
import dev.xenlevelling.xl.level.PoolExplanation;
import dev.xenlevelling.xl.level.PoolLeveller;
import dev.xenlevelling.xl.level.RunningDomain;
import dev.xenlevelling.xl.level.TypeExplanation;
import dev.xenlevelling.xl.level.WhatIf;
import dev.xenlevelling.xl.level.WhatIfReport;
import dev.xenlevelling.xl.policyfile.PolicyFile;
import dev.xenlevelling.xl.policyfile.PolicyFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code xl cpu-level [options] DUMP...}: levels the hosts whose dumps are given into one policy
 * (policy file, JSON or cpuid= lines), explains it, or answers what-if questions. The project's
 * own command (real xl has none: XEN-FACTS §i); xl stays a single-host tool, the dumps come from
 * each host's {@code xen-cpuid --json}.
 */
final class CpuLevelCommand implements Command {
  @Override
  public int run(Invocation inv) {
    var line = inv.line();
    String format = line.getOptionValue("F", "yaml");
    if (!List.of("yaml", "json", "cpuid", "xend").contains(format)) {
      return usage(inv, "unknown format '" + format + "' (yaml, json, cpuid, xend)");
    }
    Optional<GuestType> only = Optional.empty();
    if (line.hasOption("t")) {
      String t = line.getOptionValue("t");
      if (!t.equals("pv") && !t.equals("hvm")) {
        return usage(inv, "unknown guest type '" + t + "' (pv, hvm)");
      }
      only = Optional.of(t.equals("pv") ? GuestType.PV : GuestType.HVM);
    }
    boolean whatIf = line.hasOption("j") || line.hasOption("l");
    if (only.isPresent() && !format.equals("cpuid") && !format.equals("xend")) {
      // A policy file or JSON holds every type the pool levels; -t picks the cpuid= line.
      return usage(inv, "-t goes with --format cpuid or xend (a " + format
          + " policy holds every guest type)");
    }
    if (line.hasOption("x") && !format.equals("cpuid") && !format.equals("xend")) {
      return usage(inv, "--xen-version goes with --format cpuid or xend");
    }
    Optional<XenRelease> xen = Optional.empty();
    if (line.hasOption("x")) {
      xen = XenRelease.parse(line.getOptionValue("x"));
      if (xen.isEmpty()) {
        return usage(inv, "--xen-version " + line.getOptionValue("x")
            + ": expected MAJOR.MINOR[.PATCH] (4.17, 4.18.2) or latest");
      }
    }
    if (line.hasOption("j") && line.hasOption("l")) {
      return usage(inv, "give --join or --leave, not both");
    }
    if (line.hasOption("d") && !whatIf) {
      return usage(inv, "--domain goes with --join or --leave");
    }
    if (line.hasOption("P") && !line.hasOption("j")) {
      return usage(inv, "--policy goes with --join");
    }
    if (inv.args().isEmpty() && !line.hasOption("P")) {
      return usage(inv, "no host dump given");
    }
    PoolLeveller leveller = PoolLeveller.latest();
    List<HostCpu> hosts;
    List<RunningDomain> domains = new ArrayList<>();
    try {
      hosts = HostDumps.readAll(inv.args());
      for (String d : line.getOptionValues("d") == null ? new String[0]
          : line.getOptionValues("d")) {
        int colon = d.indexOf(':');
        if (colon <= 0) {
          return usage(inv, "--domain " + d + ": expected HOST:FILE (FILE: xl cpuid-show output)");
        }
        domains.addAll(DomainDumps.read(Path.of(d.substring(colon + 1)), d.substring(0, colon)));
      }
      if (whatIf) {
        WhatIf w = new WhatIf(leveller);
        WhatIfReport r;
        if (line.hasOption("P")) {
          if (!hosts.isEmpty()) {
            return usage(inv, "give the pool as --policy FILE or as dumps, not both");
          }
          r = w.joining(PolicyFilePool.levelled(PolicyFile.read(Path.of(line.getOptionValue("P")))),
              HostDumps.read(Path.of(line.getOptionValue("j"))), domains);
        } else {
          r = line.hasOption("j")
              ? w.joining(hosts, HostDumps.read(Path.of(line.getOptionValue("j"))), domains)
              : w.leaving(hosts, line.getOptionValue("l"), domains);
        }
        r.describe().forEach(inv.out()::println);
        return 0;
      }
      List<LevelledPolicy> policies = line.hasOption("V")
          ? List.copyOf(leveller.levelPerVendor(hosts).values()) : List.of(leveller.level(hosts));
      for (LevelledPolicy p : policies) {
        p.notes().forEach(n -> inv.err().println("xl cpu-level: note: " + n));
      }
      if (line.hasOption("e")) {
        for (LevelledPolicy p : policies) {
          explain(inv, leveller, p, hosts);
        }
        if (!line.hasOption("o")) {
          return 0;
        }
      }
      return output(inv, format, only, policies, hosts, leveller.table(),
          xen.orElseGet(() -> PolicyText.poolRelease(hosts)));
    } catch (LevelException e) {
      // --per-vendor helps a pool of dumps, not a what-if: a host of another vendor cannot join.
      return inv.fail("xl cpu-level: " + e.getMessage()
          + (e.reason() == LevelException.Reason.MIXED_VENDORS && !whatIf
              ? " (--per-vendor levels each vendor's hosts into its own policy)" : ""));
    } catch (HostDumpException e) {
      return inv.fail("xl cpu-level: " + e.getMessage());
    } catch (PolicyFileException | IOException e) {
      return inv.fail("xl cpu-level: " + e.getMessage());
    }
  }

  private static int usage(Invocation inv, String message) {
    inv.err().println("xl cpu-level: " + message + " (see 'xl help cpu-level')");
    return 2;
  }

  /** Prints the weakest-link report of {@code p}: per type, what was lost and who costs what. */
  private static void explain(Invocation inv, PoolLeveller leveller, LevelledPolicy p,
      List<HostCpu> all) throws LevelException {
    List<HostCpu> hosts = all.stream().filter(h -> h.vendor() == p.vendor()).toList();
    var out = inv.out();
    out.println("Pool of " + hosts.size() + " " + p.vendor().key() + " host"
        + (hosts.size() == 1 ? "" : "s") + ":");
    for (LevelledType lt : p.types().values()) {
      out.println(lt.type().key() + ": boot " + lt.boot().cardinality() + " features, ceiling "
          + lt.ceiling().cardinality() + " features");
    }
    PoolExplanation ex = leveller.explain(hosts);
    for (TypeExplanation t : ex.types().values()) {
      t.describe().forEach(out::println);
    }
  }

  private static int output(Invocation inv, String format, Optional<GuestType> only,
      List<LevelledPolicy> policies, List<HostCpu> hosts, FeatureTable table, XenRelease xen)
      throws PolicyFileException, IOException {
    Optional<Path> file = Optional.ofNullable(inv.line().getOptionValue("o")).map(Path::of);
    if (format.equals("yaml")) {
      String command = command(inv);
      // Every file is checked against the reader's limits before any is written or printed: a
      // policy xl would refuse to read is not produced (PolicyFile.MAX_HOSTS, MAX_BYTES).
      List<PolicyFile> files = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (LevelledPolicy p : policies) {
        PolicyFile pf = PolicyFile.fromLevelled(p, hosts, Instant.now(), command);
        files.add(pf);
        texts.add(pf.toYamlWithinLimits(file.map(f -> target(f, p, policies).toString())
            .orElse("standard output")));
      }
      for (int i = 0; i < files.size(); i++) {
        if (file.isPresent()) {
          files.get(i).write(target(file.get(), policies.get(i), policies));
        } else {
          if (policies.size() > 1) {
            inv.out().println("---");
          }
          inv.out().print(texts.get(i));
        }
      }
      return 0;
    }
    PolicyText text = new PolicyText(table);
    StringBuilder sb = new StringBuilder();
    if (format.equals("json")) {
      sb.append(text.json(policies));
    } else {
      PolicyText.CpuidText t = text.cpuidConfig(policies, hosts, format.equals("xend"), only, xen);
      sb.append(t.text());
      t.notes().forEach(n -> inv.err().println("xl cpu-level: note: " + n));
    }
    if (file.isPresent()) {
      AtomicFiles.write(file.get(), sb.toString());
    } else {
      inv.out().print(sb);
    }
    return 0;
  }

  private static Path target(Path file, LevelledPolicy p, List<LevelledPolicy> policies) {
    return policies.size() == 1 ? file : perVendor(file, p);
  }

  private static Path perVendor(Path file, LevelledPolicy p) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String named = dot > 0 ? n.substring(0, dot) + "." + p.vendor().key() + n.substring(dot)
        : n + "." + p.vendor().key();
    return file.resolveSibling(named);
  }

  /** Returns the command for the provenance: in full, or shortened for a long list of dumps. */
  private static String command(Invocation inv) {
    StringBuilder opts = new StringBuilder("xl cpu-level");
    for (org.apache.commons.cli.Option o : inv.line().getOptions()) {
      opts.append(" -").append(o.getOpt());
      if (o.hasArg()) {
        opts.append(' ').append(o.getValue());
      }
    }
    String full = opts + " " + String.join(" ", inv.args());
    if (full.length() <= 200) {
      return full;
    }
    return opts + " " + String.join(" ", inv.args().subList(0, Math.min(3, inv.args().size())))
        + " ... (" + inv.args().size() + " dump arguments)";
  }
}
