package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.pool.CpuCompat;
import dev.xenlevelling.xl.UsageException;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code xl cpu-compat DOMAIN|DUMP HOSTDUMP...}: whether one domain's featureset (a domain of
 * this host, or {@code xl cpuid-show} output from another), or what a new guest gets on a host
 * (a host dump's default featuresets), fits each host's max featureset, naming every missing
 * feature ({@link CpuCompat}). Exit 0 when it fits every host, 1 when it does not fit some host
 * (or on an error), 2 on bad usage. The project's own command; stricter than Xen, which does not
 * audit feature bits.
 */
final class CpuCompatCommand implements Command {
  @Override
  public int run(Invocation inv) {
    String source = inv.args().get(0);
    try {
      return CpuCompat.check(source, Optional.ofNullable(inv.line().getOptionValue("t")),
          inv.args().subList(1, inv.args().size()), inv.libxl(), inv.out()) ? 0 : 1;
    } catch (UsageException e) {
      inv.err().println("xl cpu-compat: " + e.getMessage() + " (see 'xl help cpu-compat')");
      return 2;
    } catch (HostDumpException | LibxlException e) {
      return inv.fail("xl cpu-compat: " + e.getMessage());
    } catch (IOException e) {
      return inv.fail("xl cpu-compat: " + source + ": cannot read: " + e.getMessage());
    }
  }
}
