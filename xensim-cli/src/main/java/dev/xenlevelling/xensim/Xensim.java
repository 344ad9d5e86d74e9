package dev.xenlevelling.xensim;

import dev.xenlevelling.xc.abi.FeaturesetIndex;
import dev.xenlevelling.xc.abi.LevelCap;
import dev.xenlevelling.xc.abi.LevellingCaps;
import dev.xenlevelling.xc.abi.Microcode;
import dev.xenlevelling.xc.hv.BootConfig;
import dev.xenlevelling.xc.hv.Host;
import dev.xenlevelling.xc.hv.Hypervisor;
import dev.xenlevelling.xc.hv.cpu.CpuSourceException;
import dev.xenlevelling.xc.hv.cpu.CpuSources;
import dev.xenlevelling.xc.hv.state.HostDirectory;
import dev.xenlevelling.xc.hv.state.HostStateException;
import dev.xenlevelling.xc.policy.PolicyException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code xensim}, the simulated hypervisor's console: {@code boot} (re)boots a host directory from
 * a CPU, {@code show} prints what a host booted with and what it derived.
 */
public final class Xensim {
  static final String USAGE = String.join("\n",
      "Usage: xensim boot DIR --cpu SOURCE [--cmdline \"XEN OPTIONS\"] [--microcode as-dumped|tsx-off]",
      "       xensim show DIR",
      "       xensim profiles",
      "",
      "SOURCE is a libvirt CPUID dump (x86_64-cpuid-*.xml), the output of 'xen-cpuid -p', a YAML",
      "host profile, the name of a profile in $XENSIM_PROFILES (config-examples/hosts), or 'local'.",
      "The Xen command line understands cpuid=no-<feature>,... hap=0 tsx=0, and (simulated) pv=0",
      "and hvm=0 for a Xen built without PV or HVM. Booting again drops every domain.",
      "Other tools find the host through XENSIM_HOST=DIR.",
      "");

  private Xensim() {}

  /** Runs xensim and exits with its status. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int rc = run(args, out, err, System.getenv());
    out.flush();
    err.flush();
    System.exit(rc);
  }

  /** Returns the exit status of xensim run with {@code args}: 0 ok, 1 failed, 2 bad usage. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, out, err, System.getenv());
  }

  static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    try {
      return dispatch(args, out, err, env);
    } catch (RuntimeException | Error e) {
      // Bad input never ends in a stack trace: whatever escaped (a bug, a stack overflow, memory
      // running out) is one line and exit 1, as xl's and xen-cpuid's front ends do.
      err.println("xensim: " + (args.length > 0 ? args[0] + ": " : "") + "internal error: " + e);
      return 1;
    }
  }

  private static int dispatch(String[] args, PrintWriter out, PrintWriter err,
      Map<String, String> env) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    Path profiles = Path.of(env.getOrDefault("XENSIM_PROFILES", "config-examples/hosts"));
    switch (args[0]) {
      case "help":
      case "-h":
      case "--help":
        out.print(USAGE);
        return 0;
      case "boot":
        return boot(args, out, err, profiles);
      case "show":
        if (args.length != 2) {
          err.println("xensim show: expected exactly one argument, DIR");
          return 2;
        }
        return show(Path.of(args[1]), out, err);
      case "profiles":
        for (String n : CpuSources.profileNames(profiles)) {
          out.println(n);
        }
        return 0;
      default:
        err.println("xensim: unknown command '" + args[0] + "' (boot, show, profiles, help)");
        return 1;
    }
  }

  private static int boot(String[] args, PrintWriter out, PrintWriter err, Path profiles) {
    String dir = null;
    String cpu = null;
    String cmdline = "";
    Optional<Microcode> ucode = Optional.empty();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--cpu") || a.equals("--cmdline") || a.equals("--microcode")) {
        if (i + 1 >= args.length) {
          err.println("xensim boot: option " + a + " needs a value");
          return 2;
        }
        String v = args[++i];
        if (a.equals("--cpu")) {
          cpu = v;
        } else if (a.equals("--cmdline")) {
          cmdline = v;
        } else {
          try {
            ucode = Optional.of(Microcode.ofName(v));
          } catch (IllegalArgumentException e) {
            err.println("xensim boot: " + e.getMessage());
            return 2;
          }
        }
      } else if (a.startsWith("-")) {
        err.println("xensim boot: unknown option '" + a + "'");
        return 2;
      } else if (dir == null) {
        dir = a;
      } else {
        err.println("xensim boot: unexpected argument '" + a + "'");
        return 2;
      }
    }
    if (dir == null || cpu == null) {
      err.println("xensim boot: expected DIR and --cpu SOURCE");
      return 2;
    }
    try {
      CpuSources.Loaded src = CpuSources.load(cpu, profiles);
      BootConfig config = new BootConfig(src.cpu(), cmdline, ucode.orElse(src.microcode()));
      Host h = HostDirectory.boot(Path.of(dir), config);
      for (String w : h.warnings()) {
        err.println("(XEN) " + w);
      }
      out.printf(Locale.ROOT, "Booted %s from %s: %s family %d model %#x stepping %d, "
          + "levelling caps %s%n", dir, src.cpu().source(), h.vendorString(), h.family(),
          h.model(), h.stepping(), h.levellingCaps());
      return 0;
    } catch (CpuSourceException | HostStateException e) {
      err.println("xensim boot: " + e.getMessage());
      return 1;
    }
  }

  private static int show(Path dir, PrintWriter out, PrintWriter err) {
    // Built first and printed only on success: a corrupt host prints its error alone.
    StringWriter text = new StringWriter();
    try (PrintWriter o = new PrintWriter(text)) {
      Hypervisor hv = HostDirectory.open(dir);
      Host h = hv.host();
      BootConfig c = h.config();
      o.println("host:            " + dir);
      o.println("cpu:             " + c.cpu().source()
          + (c.cpu().brand().isEmpty() ? "" : " (" + c.cpu().brand() + ")"));
      // "%s family %d model %#x stepping %d" by hand: start-up rule 1 (docs/performance.md).
      o.println("vendor:          " + h.vendorString() + " family " + h.family() + " model 0x"
          + Integer.toHexString(h.model()) + " stepping " + h.stepping());
      o.println("microcode:       " + c.microcode().optionName());
      o.println("xen_commandline: " + c.cmdline());
      o.println("levelling_caps:  " + h.levellingCaps() + capsText(h.levellingCaps()));
      o.println("hw_caps:         " + h.physinfo().hwCapsText());
      o.println("virt_caps:       " + h.physinfo().virtCapsText());
      o.println("domains:         " + (hv.listDomains().size() - 1));
      for (String w : h.warnings()) {
        o.println("warning:         " + w);
      }
      o.println();
      o.println("Dynamic sets:");
      for (Map.Entry<FeaturesetIndex, dev.xenlevelling.xc.policy.Featureset> e
          : h.featuresets().entrySet()) {
        boolean out1 = (e.getKey().policy().isPv() && !h.options().pv())
            || (e.getKey().policy().isHvm() && !h.options().hvm());
        o.println(out1 ? e.getKey().title() + " featureset not supported by Xen"
            : padRight(e.getKey().title(), 24) + "        " + e.getValue());
      }
    } catch (HostStateException e) {
      err.println("xensim show: " + e.getMessage());
      return 1;
    } catch (PolicyException e) {
      err.println("xensim show: " + e.getMessage());
      return 1;
    }
    out.print(text);
    return 0;
  }

  /** Returns {@code s} padded with spaces to {@code width}, as {@code %-WIDTHs}. */
  private static String padRight(String s, int width) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.toString();
  }

  private static String capsText(LevellingCaps caps) {
    List<String> names = new ArrayList<>();
    for (LevelCap c : caps.caps()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
    }
    return names.isEmpty() ? " (none)" : " (" + String.join(" ", names) + ")";
  }
}
