package dev.xenlevelling.xencpuid;

import java.io.PrintWriter;

/** xen-cpuid's modes that ask the hypervisor: info, detail and {@code -p}. */
final class HostModes {
  private HostModes() {}

  static int run(CommandLine cl, XenCpuid cmd, PrintWriter out, PrintWriter err) {
    // No hypervisor: what the real tool prints on a machine without Xen.
    err.print("xencall: error: Could not obtain handle on privileged command interface: "
        + "No such file or directory\n");
    return cmd.fail(err, "xc_interface_open", "No such file or directory");
  }
}
