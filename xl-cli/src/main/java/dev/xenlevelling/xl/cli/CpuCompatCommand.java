package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xl.DomainListing;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.hostdump.DomainDumps;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.hostdump.HostDumps;
import dev.xenlevelling.xl.level.Compatibility;
import dev.xenlevelling.xl.level.CpuLimits;
import dev.xenlevelling.xl.level.CompatibilityResult;
import dev.xenlevelling.xl.level.GuestCpu;
import dev.xenlevelling.xl.level.GuestType;
import dev.xenlevelling.xl.level.HostCpu;
import dev.xenlevelling.xl.level.RunningDomain;
import dev.xenlevelling.xl.level.Vendor;
import dev.xenlevelling.xc.policy.FeatureTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code xl cpu-compat DOMAIN|DUMP HOSTDUMP...}: whether one domain's featureset (a domain of
 * this host, or {@code xl cpuid-show} output from another), or what a new guest gets on a host
 * (a host dump's default featuresets), fits each host's max featureset, naming every missing
 * feature. Exit 0 when it fits every host, 1 when it does not fit some host (or on an error), 2
 * on bad usage. The project's own command; stricter than Xen, which does not audit feature bits.
 */
final class CpuCompatCommand implements Command {
  /** What is checked: a featureset of a guest type, of a vendor, named for messages. */
  private record Subject(String what, GuestType type, dev.xenlevelling.xc.policy.Featureset fs,
      CpuLimits limits, Optional<Vendor> vendor) {}

  @Override
  public int run(Invocation inv) {
    String source = inv.args().get(0);
    List<Subject> subjects = new ArrayList<>();
    List<HostCpu> targets;
    FeatureTable table = FeatureTable.latest();
    try {
      targets = HostDumps.readAll(inv.args().subList(1, inv.args().size()));
      if (targets.isEmpty()) {
        inv.err().println("xl cpu-compat: no host dump to check against"
            + " (see 'xl help cpu-compat')");
        return 2;
      }
      Path p = Path.of(source);
      if (Files.isRegularFile(p)) {
        String text = Files.readString(p);
        if (text.startsWith("Domain ") && text.indexOf(" policy: ") > 0
            && text.indexOf(" policy: ") < text.indexOf('\n')) {
          String t = inv.line().getOptionValue("t", "");
          if (!t.equals("pv") && !t.equals("hvm")) {
            inv.err().println("xl cpu-compat: " + source + " is xen-cpuid -p output, which does"
                + " not say the guest type: give -t pv or -t hvm (see 'xl help cpu-compat')");
            return 2;
          }
          for (RunningDomain d : DomainDumps.parsePolicies(source, "",
              t.equals("pv") ? GuestType.PV : GuestType.HVM, text)) {
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
      } else {
        Libxl libxl = inv.libxl().open();
        DomainListing d = libxl.find(source);
        CpuPolicy pol = libxl.domainPolicy(d);
        GuestType type = d.record().map(r -> r.type().jsonName().equals("pv"))
            .orElse(d.info().type().name().equals("PV")) ? GuestType.PV : GuestType.HVM;
        int paddr = pol.maxPhysAddr();
        subjects.add(new Subject("domain " + d.name(), type, pol.featureset(table),
            new CpuLimits(OptionalLong.of(Integer.toUnsignedLong(pol.basicMaxLeaf())),
                OptionalInt.of(pol.leaf7MaxSubleaf()),
                OptionalLong.of(Integer.toUnsignedLong(pol.extdMaxLeaf())),
                paddr >= 1 && paddr <= 64 ? OptionalInt.of(paddr) : OptionalInt.empty(),
                OptionalInt.empty()),
            Vendor.ofIdString(pol.vendor().signature())));
      }
    } catch (HostDumpException | LibxlException e) {
      return inv.fail("xl cpu-compat: " + e.getMessage());
    } catch (java.io.IOException e) {
      return inv.fail("xl cpu-compat: " + source + ": cannot read: " + e.getMessage());
    }
    boolean allFit = true;
    for (Subject s : subjects) {
      for (HostCpu h : targets) {
        String head = s.what() + " on " + h.name() + ": ";
        if (s.vendor().isPresent() && s.vendor().get() != h.vendor()) {
          inv.out().println(head + "incompatible: " + h.vendor().key() + " host, "
              + s.vendor().get().key() + " guest (a guest cannot move between vendors)");
          allFit = false;
          continue;
        }
        CompatibilityResult r = Compatibility.check(table, s.fs(), s.limits(), h, s.type());
        String notes = r.notes().isEmpty() ? "" : " (note: " + String.join("; ", r.notes()) + ")";
        if (!r.typeSupported()) {
          inv.out().println(head + "incompatible: the host does not support "
              + s.type().name() + " guests");
        } else if (!r.compatible()) {
          List<String> why = new ArrayList<>();
          if (!r.missing().isEmpty()) {
            why.add("missing " + r.missing().size() + ": " + String.join(" ", r.missing()));
          }
          if (!r.limitsExceeded().isEmpty()) {
            why.add("limits above the host's: " + String.join(", ", r.limitsExceeded()));
          }
          inv.out().println(head + "incompatible: " + String.join("; ", why) + notes);
        } else {
          inv.out().println(head + "compatible" + notes);
          continue;
        }
        allFit = false;
      }
    }
    return allFit ? 0 : 1;
  }
}
