package dev.xenlevelling.xl.pool;

import dev.xenlevelling.xl.UsageException;
import dev.xenlevelling.xl.hostdump.DomainDumps;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.hostdump.HostDumps;
import dev.xenlevelling.xl.hostdump.PolicyFilePool;
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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code xl cpu-level}'s work: reads the dumps of a {@link LevelRequest}, levels them (per vendor
 * if asked), explains, writes the policy, or answers the what-if question.
 */
public final class PoolLevelling {
  private PoolLevelling() {}

  /**
   * Runs {@code request}: the report, explanation or policy goes to {@code out} (or the output
   * file), each note to {@code notes}.
   *
   * @throws UsageException for a {@code --domain} not {@code HOST:FILE}, or a pool given both
   *     as a policy file and as dumps
   */
  public static void run(LevelRequest request, PrintWriter out, Consumer<String> notes)
      throws UsageException, LevelException, HostDumpException, PolicyFileException,
      IOException {
    PoolLeveller leveller = PoolLeveller.latest();
    List<HostCpu> hosts = HostDumps.readAll(request.dumps());
    List<RunningDomain> domains = new ArrayList<>();
    for (String d : request.domains()) {
      int colon = d.indexOf(':');
      if (colon <= 0) {
        throw new UsageException("--domain " + d
            + ": expected HOST:FILE (FILE: xl cpuid-show output)");
      }
      domains.addAll(DomainDumps.read(Path.of(d.substring(colon + 1)), d.substring(0, colon)));
    }
    if (request.whatIf()) {
      whatIf(request, leveller, hosts, domains).describe().forEach(out::println);
      return;
    }
    List<LevelledPolicy> policies = request.perVendor()
        ? List.copyOf(leveller.levelPerVendor(hosts).values()) : List.of(leveller.level(hosts));
    for (LevelledPolicy p : policies) {
      p.notes().forEach(notes);
    }
    if (request.explain()) {
      for (LevelledPolicy p : policies) {
        explain(out, leveller, p, hosts);
      }
      if (request.output().isEmpty()) {
        return;
      }
    }
    PolicyOutput.write(request, policies, hosts, leveller.table(),
        request.xen().orElseGet(() -> PolicyText.poolRelease(hosts)), out, notes);
  }

  private static WhatIfReport whatIf(LevelRequest request, PoolLeveller leveller,
      List<HostCpu> hosts, List<RunningDomain> domains)
      throws UsageException, LevelException, HostDumpException, PolicyFileException {
    WhatIf w = new WhatIf(leveller);
    if (request.policy().isPresent()) {
      if (!hosts.isEmpty()) {
        throw new UsageException("give the pool as --policy FILE or as dumps, not both");
      }
      return w.joining(PolicyFilePool.levelled(PolicyFile.read(Path.of(request.policy().get()))),
          HostDumps.read(Path.of(request.join().orElseThrow())), domains);
    }
    return request.join().isPresent()
        ? w.joining(hosts, HostDumps.read(Path.of(request.join().get())), domains)
        : w.leaving(hosts, request.leave().orElseThrow(), domains);
  }

  /** Prints the weakest-link report of {@code p}: per type, what was lost and who costs what. */
  private static void explain(PrintWriter out, PoolLeveller leveller, LevelledPolicy p,
      List<HostCpu> all) throws LevelException {
    List<HostCpu> hosts = all.stream().filter(h -> h.vendor() == p.vendor()).toList();
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
}
