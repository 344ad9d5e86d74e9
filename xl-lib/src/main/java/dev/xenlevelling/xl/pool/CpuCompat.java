package dev.xenlevelling.xl.pool;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.Vendor;
import dev.xenlevelling.xl.DomainListing;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.UsageException;
import dev.xenlevelling.xl.hostdump.DomainDumps;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.hostdump.HostDumps;
import dev.xenlevelling.xl.level.HostFit;
import dev.xenlevelling.xl.level.HostFitResult;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.GuestCpu;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.RunningDomain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code xl cpu-compat}'s work: reads the subject (a domain of this host, {@code xl cpuid-show}
 * or {@code xen-cpuid -p} output, or a host dump's new guests, told apart by content) and checks
 * each of its featuresets against each host's max featureset, one line per pair.
 */
public final class CpuCompat {
  /** What is checked: a featureset of a guest type, of a vendor, named for messages. */
  private record Subject(String what, DomainType type, Featureset fs, CpuLimits limits,
      Optional<Vendor> vendor) {}

  private CpuCompat() {}

  /**
   * Checks {@code source} (a file, else a domain's name or id) against the hosts of
   * {@code hostDumps}, printing one line per subject and host to {@code out}; returns whether
   * every subject fits every host.
   *
   * @param type {@code -t}: the guest type of {@code xen-cpuid -p} output, which does not say it
   * @throws UsageException when no host dump is given, or {@code -t} is needed and missing
   * @throws IOException when the file {@code source} cannot be read
   */
  public static boolean check(String source, Optional<String> type, List<String> hostDumps,
      Libxl.Source libxl, PrintWriter out)
      throws UsageException, HostDumpException, LibxlException, IOException {
    FeatureTable table = FeatureTable.latest();
    List<HostCpu> targets = HostDumps.readAll(hostDumps);
    if (targets.isEmpty()) {
      throw new UsageException("no host dump to check against");
    }
    Path p = Path.of(source);
    List<Subject> subjects = Files.isRegularFile(p) ? read(source, p, type)
        : List.of(ofDomain(libxl.open(), source, table));
    boolean allFit = true;
    for (Subject s : subjects) {
      for (HostCpu h : targets) {
        allFit &= check(table, s, h, out);
      }
    }
    return allFit;
  }

  /** Returns the subjects a file holds, told apart by content. */
  private static List<Subject> read(String source, Path p, Optional<String> type)
      throws UsageException, HostDumpException, IOException {
    List<Subject> subjects = new ArrayList<>();
    String text = Files.readString(p);
    if (text.startsWith("Domain ") && text.indexOf(" policy: ") > 0
        && text.indexOf(" policy: ") < text.indexOf('\n')) {
      String t = type.orElse("");
      if (!t.equals("pv") && !t.equals("hvm")) {
        throw new UsageException(source + " is xen-cpuid -p output, which does"
            + " not say the guest type: give -t pv or -t hvm");
      }
      for (RunningDomain d : DomainDumps.parsePolicies(source, "",
          t.equals("pv") ? DomainType.PV : DomainType.HVM, text)) {
        subjects.add(new Subject(d.name(), d.type(), d.features(), d.limits(),
            Optional.empty()));
      }
    } else if (text.startsWith("Domain ")) {
      for (RunningDomain d : DomainDumps.parse(source, "", text)) {
        subjects.add(new Subject("domain " + d.name(), d.type(), d.features(), d.limits(),
            Optional.empty()));
      }
    } else {
      HostCpu h = HostDumps.read(p);
      for (var e : h.guests().entrySet()) {
        GuestCpu g = e.getValue();
        subjects.add(new Subject("a new " + e.getKey().key() + " guest of " + h.name(),
            e.getKey(), g.defaultFeatures(), g.limits(), Optional.of(h.vendor())));
      }
    }
    return subjects;
  }

  /** Returns the subject of the domain of this host named (or numbered) {@code spec}. */
  private static Subject ofDomain(Libxl libxl, String spec, FeatureTable table)
      throws LibxlException {
    DomainListing d = libxl.find(spec);
    CpuPolicy pol = libxl.domainPolicy(d);
    return new Subject("domain " + d.name(), Libxl.policyType(d), pol.featureset(table),
        CpuLimits.ofPolicy(pol), Vendor.ofIdString(pol.vendor().signature()));
  }

  /** Prints whether {@code s} fits host {@code h}; returns whether it does. */
  private static boolean check(FeatureTable table, Subject s, HostCpu h, PrintWriter out) {
    String head = s.what() + " on " + h.name() + ": ";
    if (s.vendor().isPresent() && s.vendor().get() != h.vendor()) {
      out.println(head + "incompatible: " + h.vendor().key() + " host, "
          + s.vendor().get().key() + " guest (a guest cannot move between vendors)");
      return false;
    }
    HostFitResult r = HostFit.check(table, s.fs(), s.limits(), h, s.type());
    String notes = r.notes().isEmpty() ? "" : " (note: " + String.join("; ", r.notes()) + ")";
    if (!r.typeSupported()) {
      out.println(head + "incompatible: the host does not support "
          + s.type().name() + " guests");
      return false;
    }
    if (!r.compatible()) {
      List<String> why = new ArrayList<>();
      if (!r.missing().isEmpty()) {
        why.add("missing " + r.missing().size() + ": " + String.join(" ", r.missing()));
      }
      if (!r.limitsExceeded().isEmpty()) {
        why.add("limits above the host's: " + String.join(", ", r.limitsExceeded()));
      }
      out.println(head + "incompatible: " + String.join("; ", why) + notes);
      return false;
    }
    out.println(head + "compatible" + notes);
    return true;
  }
}
