package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.DomainListing;
import dev.xenlevelling.xl.Libxl;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.ListOutput;
import java.util.List;

/**
 * {@code xl list [-l] [Domain]}: real xl's columns, or with {@code -l} a JSON array of
 * {@code {"domid": N, "config": {...}}} ({@link ListOutput}).
 */
final class ListCommand implements Command {
  @Override
  public int run(Invocation inv) {
    if (inv.args().size() > 1) {
      // As xl's main_list: more than one domain is a usage error: the help, exit 1.
      inv.out().print(CommandTable.help(inv.spec()));
      return 1;
    }
    try {
      Libxl libxl = inv.libxl().open();
      List<DomainListing> domains =
          inv.args().isEmpty() ? libxl.list() : List.of(libxl.find(inv.args().get(0)));
      if (inv.line().hasOption("l")) {
        inv.out().print(ListOutput.longJson(libxl, domains));
        return 0;
      }
      inv.out().println(ListOutput.header());
      for (DomainListing d : domains) {
        inv.out().println(ListOutput.line(d));
      }
      return 0;
    } catch (LibxlException e) {
      return inv.fail("xl list: " + e.getMessage());
    }
  }
}
