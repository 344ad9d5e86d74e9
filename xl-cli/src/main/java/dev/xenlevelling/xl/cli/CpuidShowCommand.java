package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.FeatureTable;
import dev.xenlevelling.xc.policy.FeatureWord;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xl.DomainListing;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.LibxlException;
import java.util.Locale;

/**
 * {@code xl cpuid-show DOMAIN}: the domain's effective CPUID policy as Xen keeps it, its
 * featureset decoded by feature name one word a line in xen-cpuid's detail layout, plus the
 * non-feature fields that matter for levelling. This command is the project's own (real xl has
 * none; xen-cpuid -p prints the raw leaves).
 */
final class CpuidShowCommand implements Command {
  @Override
  public int run(Invocation inv) {
    Libxl libxl;
    DomainListing d;
    CpuPolicy p;
    try {
      libxl = inv.libxl().open();
      d = libxl.find(inv.args().get(0));
      p = libxl.domainPolicy(d);
    } catch (LibxlException e) {
      return inv.fail("xl cpuid-show: " + e.getMessage());
    }
    FeatureTable table = libxl.featureTable();
    Featureset fs = p.featureset(table);
    var out = inv.out();
    out.println(String.format(Locale.ROOT, "Domain %d (%s), %s, CPUID policy:", d.info().domid(),
        d.name(), Libxl.typeName(d)));
    out.println(String.format(Locale.ROOT, "  %-24s%s", "vendor", p.vendor().signature()));
    out.println(String.format(Locale.ROOT, "  %-24s0x%x/0x%x/0x%x", "family/model/stepping",
        p.family(), p.model(), p.stepping()));
    out.println(String.format(Locale.ROOT, "  %-24sbasic 0x%x, leaf 7 subleaf %d, extended 0x%x",
        "max leaves", p.basicMaxLeaf(), p.leaf7MaxSubleaf(), p.extdMaxLeaf()));
    out.println(String.format(Locale.ROOT, "  %-24s%s", "featureset", fs.format()));
    for (FeatureWord w : table.words()) {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  [%02d] %-24s",
          w.index(), w.label()));
      Featureset word = Featureset.zero(table.nrWords()).withWord(w.index(), fs.word(w.index()));
      for (String name : table.names(word)) {
        sb.append(' ').append(name);
      }
      out.println(sb.toString().stripTrailing());
    }
    return 0;
  }
}
