package dev.xenlevelling.xencpuid;

import dev.xenlevelling.xc.HostFingerprint;
import dev.xenlevelling.xc.PolicySize;
import dev.xenlevelling.xc.XcException;
import dev.xenlevelling.xc.XcInterface;
import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.PolicyIndex;
import dev.xenlevelling.xc.abi.VirtCap;
import dev.xenlevelling.xc.policy.CpuPolicy;
import dev.xenlevelling.xc.policy.Errno;
import dev.xenlevelling.xc.policy.Featureset;
import dev.xenlevelling.xc.policy.StaticMask;
import java.io.PrintWriter;
import java.util.List;

/**
 * xen-cpuid's modes that ask the hypervisor (info, detail, {@code -p}) and this tool's additions
 * ({@code --json}, {@code --levelling}), over the libxc facade only, as the C tool links only
 * libxenctrl. Kept apart from {@link XenCpuid} so that interpret mode never loads the hypervisor.
 */
final class HostModes {
  /** The static sets dump_info prints, in its order (SIMPLE_OR is not one of them). */
  private static final List<StaticMask> STATIC_SETS = List.of(StaticMask.KNOWN,
      StaticMask.SPECIAL, StaticMask.PV_MAX, StaticMask.PV_DEF, StaticMask.HVM_SHADOW_MAX,
      StaticMask.HVM_SHADOW_DEF, StaticMask.HVM_HAP_MAX, StaticMask.HVM_HAP_DEF);

  /** What xc_interface_open does: opens the hypervisor. */
  interface Opener {
    /** Returns the open interface; XcException as xc_interface_open fails. */
    XcInterface open() throws XcException;
  }

  /**
   * Where the host modes look: how to open the hypervisor and the host's name (which in Xen comes
   * from the OS, not libxc).
   */
  record Target(Opener opener, String hostName) {}

  private final XenCpuid cmd;
  private final XcInterface xc;
  private final String hostName;
  private final StringBuilder sb = new StringBuilder(8192);

  private HostModes(XenCpuid cmd, XcInterface xc, String hostName) {
    this.cmd = cmd;
    this.xc = xc;
    this.hostName = hostName;
  }

  /**
   * Returns the target of the environment: {@code xc_interface_open} (the host of
   * {@code XENSIM_HOST}, else this machine's simulated host), named as the last element of
   * {@code XENSIM_HOST}, else as the kernel names this machine.
   */
  static Target environmentTarget() {
    return new Target(XcInterface::open, HostFingerprint.hostName(System.getenv()));
  }

  /** Runs {@code cl}'s mode against the hypervisor {@code xc_interface_open} finds. */
  static int run(CommandLine cl, XenCpuid cmd, PrintWriter out, PrintWriter err) {
    Target target = cmd.target().orElseGet(HostModes::environmentTarget);
    XcInterface xc;
    try {
      xc = target.opener().open();
    } catch (XcException e) {
      if (e.errno() == Errno.ENOENT) {
        // As libxencall, when there is no hypervisor to talk to.
        err.print("xencall: error: Could not obtain handle on privileged command interface: "
            + "No such file or directory\n");
      }
      int rc = cmd.fail(err, "xc_interface_open", e.errno().message());
      // Added after Xen's line(s), which stay as they are: which simulated host, and why.
      String cause = e.getMessage();
      if (cause != null && !cause.isEmpty() && !cause.equals(e.errno().message())) {
        err.print(cmd.programName() + ": " + cause + "\n");
      }
      return rc;
    }
    return new HostModes(cmd, xc, target.hostName()).run(cl, out, err);
  }

  private int run(CommandLine cl, PrintWriter out, PrintWriter err) {
    try {
      switch (cl.mode()) {
        case INFO:
        case DETAIL:
          info(cl.mode() == CommandLine.Mode.DETAIL);
          break;
        case POLICY:
          policy(cl);
          break;
        case LEVELLING:
          levelling();
          break;
        case JSON:
          json();
          break;
        default:
          throw new AssertionError(cl.mode());
      }
    } catch (Failure f) {
      out.print(sb);
      return cmd.fail(err, f.what, f.errno.message());
    }
    out.print(sb);
    return 0;
  }

  /** err(1, what) after a libxc call failed with errno. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final String what;
    final Errno errno;

    Failure(String what, Errno errno) {
      super(what, null, false, false);
      this.what = what;
      this.errno = errno;
    }
  }

  /** dump_info: Xen's word count, the static masks and the six dynamic featuresets. */
  private void info(boolean detail) throws Failure {
    int nr = xc.getCpuFeaturesetSize();
    Printer p = cmd.printer();
    Printer.nrFeatures(sb, nr);
    if (!detail) {
      p.keyLine(sb);
    }
    sb.append("\nStatic sets:\n");
    for (StaticMask m : STATIC_SETS) {
      // libxc's compile-time mask, printed for Xen's word count (zero-extended where the C
      // would read past libxc's array: a deliberate deviation from undefined behaviour).
      p.decodeFeatureset(sb, m.title(), cmd.table().mask(m).withLength(nr), detail);
    }
    sb.append("\nDynamic sets:\n");
    for (FeaturesetIndex i : FeaturesetIndex.values()) {
      int[] fs = new int[nr];
      int len;
      try {
        len = xc.getCpuFeatureset(i.value(), fs);
      } catch (XcException e) {
        if (e.errno() == Errno.EOPNOTSUPP) {
          sb.append(i.title()).append(" featureset not supported by Xen\n");
          continue;
        }
        throw new Failure("xc_get_featureset()", e.errno());
      }
      p.decodeFeatureset(sb, i.title(), Featureset.of(fs).withLength(len), detail);
    }
  }

  /** The {@code -p} mode: every system policy in policy-index order, or one domain's. */
  private void policy(CommandLine cl) throws Failure {
    PolicySize size = xc.getCpuPolicySize();
    if (cl.domid().isPresent()) {
      int domid = cl.domid().getAsInt();
      CpuPolicy p;
      try {
        p = xc.getDomainCpuPolicy(domid);
      } catch (XcException e) {
        throw new Failure("xc_cpu_policy_get_domain(, " + domid + ", )", e.errno());
      }
      Printer.policy(sb, "Domain " + domid, p.toLeaves(), p.toMsrs());
      return;
    }
    Printer.policySizes(sb, size.nrLeaves(), size.nrMsrs());
    for (PolicyIndex i : PolicyIndex.values()) {
      CpuPolicy p;
      try {
        p = xc.getCpuPolicy(i.value());
      } catch (XcException e) {
        if (e.errno() == Errno.EOPNOTSUPP) {
          sb.append(i.title()).append(" policy not supported by Xen\n");
          continue;
        }
        throw new Failure("xc_cpu_policy_get_system(, " + i.title() + ", )", e.errno());
      }
      Printer.policy(sb, i.title(), p.toLeaves(), p.toMsrs());
    }
  }

  /** The {@code --json} host dump. */
  private void json() throws Failure {
    HostFacts facts;
    try {
      facts = HostFactsReader.read(xc, hostName);
    } catch (XcException e) {
      throw new Failure("reading the host: " + e.getMessage(), e.errno());
    }
    sb.append(JsonDump.format(facts, xc.featureTable()));
  }

  /** The {@code --levelling} report. */
  private void levelling() throws Failure {
    CpuPolicy host;
    try {
      host = xc.getCpuPolicy(PolicyIndex.HOST.value());
    } catch (XcException e) {
      throw new Failure("xc_cpu_policy_get_system(, Host, )", e.errno());
    }
    LevellingCapsText.describe(sb, xc.getCpuLevellingCaps().value(),
        HostFactsReader.isAmdLike(host), xc.physinfo().virtCaps().contains(VirtCap.PV));
  }
}
