package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.HostInfo;
import dev.xenlevelling.xl.LibxlException;
import java.util.Locale;

/**
 * {@code xl info}: the host's levelling facts in xl's {@code "%-23s: %s"} layout. Deviations,
 * deliberate: {@code hw_caps} is the whole host featureset (real xl stops after 8 words), and
 * {@code levelling_caps} and the {@code cpu_*} lines are added; fields the simulation does not
 * model (memory, CPU counts, versions) are not printed.
 */
final class InfoCommand implements Command {
  @Override
  public int run(Invocation inv) {
    HostInfo i;
    try {
      i = inv.libxl().open().info();
    } catch (LibxlException e) {
      return inv.fail("xl info: " + e.getMessage());
    }
    field(inv, "hw_caps", i.hwCaps().format());
    field(inv, "virt_caps", i.virtCaps());
    field(inv, "levelling_caps", i.levellingCaps().isEmpty() ? "none"
        : String.join(" ", i.levellingCaps()));
    field(inv, "cpu_vendor", i.vendor());
    field(inv, "cpu_family", String.format(Locale.ROOT, "%d (0x%x)", i.family(), i.family()));
    field(inv, "cpu_model", String.format(Locale.ROOT, "%d (0x%x)", i.model(), i.model()));
    field(inv, "cpu_stepping", Integer.toString(i.stepping()));
    return 0;
  }

  private static void field(Invocation inv, String name, String value) {
    inv.out().println(String.format(Locale.ROOT, "%-23s: %s", name, value));
  }
}
