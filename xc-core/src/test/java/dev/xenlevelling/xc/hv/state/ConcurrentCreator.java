package dev.xenlevelling.xc.hv.state;

import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xc.hv.Hypervisor;
import java.nio.file.Path;

/**
 * A separate process for {@link HostDirectoryTest}: opens the host in args[0] and creates
 * args[1] PV domains, printing each id on its own line. Exit 0 on success, 1 on any failure.
 */
public final class ConcurrentCreator {
  private ConcurrentCreator() {}

  /** Runs the creator. */
  public static void main(String[] args) {
    try {
      Hypervisor hv = HostDirectory.open(Path.of(args[0]));
      int n = Integer.parseInt(args[1]);
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < n; i++) {
        out.append(hv.createDomain(DomainType.PV, false, false)).append('\n');
      }
      System.out.print(out);
      System.out.flush();
      System.exit(0);
    } catch (Exception e) {
      System.err.println(e);
      System.exit(1);
    }
  }
}
