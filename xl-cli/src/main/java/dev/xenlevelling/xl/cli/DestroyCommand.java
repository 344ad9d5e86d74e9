package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.LibxlException;

/**
 * {@code xl destroy DOMAIN}: by name or id; nothing is printed on success, as xl. Arguments after
 * the first are ignored, as xl's main_destroy ignores them (unlike main_list, which refuses).
 */
final class DestroyCommand implements Command {
  @Override
  public int run(Invocation inv) {
    try {
      inv.libxl().open().destroy(inv.args().get(0));
      return 0;
    } catch (LibxlException e) {
      return inv.fail("xl destroy: " + e.getMessage());
    }
  }
}
