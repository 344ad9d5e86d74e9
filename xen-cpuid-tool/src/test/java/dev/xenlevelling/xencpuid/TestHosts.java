package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.DomainType;
import dev.xenlevelling.xencpuid.Golden417.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Simulated in-memory hosts booted from the CPU dumps under {@code hosts/}, for host modes. */
final class TestHosts {
  static final String XEON_GOLD_6148 = "x86_64-cpuid-Xeon-Gold-6148.xml";
  static final String OPTERON_6234 = "x86_64-cpuid-Opteron-6234.xml";

  private TestHosts() {}

  /** Returns a libxc interface to a fresh host booted from {@code dump} with {@code cmdline}. */
  static XcInterface boot(String dump, String cmdline) {
    try (InputStream in = TestHosts.class.getResourceAsStream("hosts/" + dump)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource hosts/" + dump);
      }
      return XcInterface.bootInMemory(dump, in, cmdline);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (XcException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Returns {@code xc} after creating one PV domain in it (domain 1). */
  static XcInterface withPvDomain(XcInterface xc) {
    try {
      xc.createDomain(DomainType.PV, false, false);
    } catch (XcException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return xc;
  }

  /** Runs the tool against {@code xc} (host name {@code name}) with the latest names. */
  static Run run(XcInterface xc, String name, String... args) {
    return run("xen-cpuid", NameTable.latest(), () -> xc, name, args);
  }

  /** Runs the tool, whose host modes open the hypervisor with {@code opener}. */
  static Run run(String argv0, NameTable names, HostModes.Opener opener, String name,
      String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      rc = new XenCpuid(argv0, false, names,
          Optional.of(new HostModes.Target(opener, name))).run(args, o, e);
    }
    return new Run(out.toString(), err.toString(), rc);
  }
}
