package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.CreateResult;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.defaults.DefaultsException;
import dev.xenlevelling.xl.defaults.DefaultsReport;
import dev.xenlevelling.xl.defaults.XlConf;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code xl create [-p] [-n] [-q] [--explain] [--strict] [-f FILE | FILE] [KEY=VALUE...]}: the
 * config file by {@code -f} or as the first argument without {@code =}, as xl; {@code -p} leaves
 * the domain paused; {@code -c} (console) is refused, the simulated host has none. Arguments with
 * {@code =} are extra settings, parsed with the config grammar after the file (later wins), as real xl; the
 * CPU request is merged with xl.conf's host-wide defaults (see README "Host-wide defaults").
 */
final class CreateCommand implements Command {
  @Override
  public int run(Invocation inv) {
    if (inv.line().hasOption("c")) {
      return inv.fail("xl create: -c: the simulated host has no domain consoles"
          + " (not supported by the simulated host)");
    }
    // As xl's main_create: the file by -f, else the first argument without '='.
    String file = inv.line().getOptionValue("f");
    List<String> settings = new ArrayList<>();
    for (String a : inv.args()) {
      if (a.indexOf('=') >= 0) {
        settings.add(a);
      } else if (file == null) {
        file = a;
      } else {
        inv.err().println("xl create: more than one config file: " + file + ", " + a
            + " (see 'xl help create')");
        return 2;
      }
    }
    if (file == null) {
      inv.err().println("xl create: no config file given (see 'xl help create')");
      return 2;
    }
    boolean quiet = inv.line().hasOption("q");
    boolean explain = inv.line().hasOption("explain");
    boolean strict = inv.line().hasOption("strict");
    if (!quiet) {
      inv.err().println("Parsing config from " + file);
    }
    DomainConfigFile domain;
    XlConf conf;
    try {
      // Byte-transparent, as libxlutil: any byte is text (a Latin-1 comment, \xff in a string).
      String text = ConfigParser.decode(Files.readAllBytes(Path.of(file)));
      domain = DomainConfigFile.parse(file, text, settings);
      conf = XlConf.load(inv.configDir());
    } catch (NoSuchFileException e) {
      return inv.fail("Failed to read config file: " + file + ": No such file or directory");
    } catch (IOException e) {
      return inv.fail("Failed to read config file: " + file + ": " + e.getMessage());
    } catch (ConfigException | DefaultsException e) {
      return inv.fail(e.getMessage());
    }
    domain.config().warnings().forEach(inv.err()::println);
    if (inv.dryRun() || inv.line().hasOption("n")) {
      return dryRun(inv, domain, conf, explain, strict);
    }
    CreateResult created;
    try {
      created = inv.libxl().open().create(domain, conf, strict, inv.line().hasOption("p"));
    } catch (LibxlException e) {
      return inv.fail("xl create: " + e.getMessage());
    } catch (DefaultsException e) {
      return inv.fail(e.getMessage());
    }
    created.defaults().warnings().forEach(inv.err()::println);
    if (!quiet) {
      report(inv, created);
    }
    if (explain) {
      explain(inv, created.defaults());
    }
    return 0;
  }

  /**
   * {@code -N}: libxl's JSON of the configuration, its cpuid the merge with the defaults; the
   * defaults' warnings and (with {@code --explain}) the predicted explanation on stderr, so the
   * JSON stays machine-readable. Without defaults or {@code --explain}, no host is needed.
   */
  private static int dryRun(Invocation inv, DomainConfigFile domain, XlConf conf,
      boolean explain, boolean strict) {
    DomainConfig config = domain.config();
    if (conf.hasCpuDefaults() || explain) {
      DefaultsReport r;
      try {
        r = inv.libxl().open().preview(domain, conf, strict);
      } catch (LibxlException e) {
        return inv.fail("xl create: " + e.getMessage());
      } catch (DefaultsException e) {
        return inv.fail(e.getMessage());
      }
      r.warnings().forEach(inv.err()::println);
      if (explain) {
        inv.err().println("explain (predicted: -N creates nothing):");
        r.explainLines().forEach(l -> inv.err().println("  " + l));
      }
      config = config.withCpuid(r.plan().orElseThrow().merged());
    }
    inv.out().print(Json.pretty(config.toJsonTree()));
    return 0;
  }

  /** Prints the new domain and, per requested cpuid= bit, what the hypervisor clamped. */
  private static void report(Invocation inv, CreateResult created) {
    inv.out().println("Domain " + created.name() + " created with id " + created.domid() + ".");
    if (created.defaults().plan().map(p -> p.merged().isEmpty()).orElse(true)) {
      return;
    }
    int clamped = created.clamped().size();
    inv.out().println("cpuid: " + (created.outcomes().size() - clamped) + " of "
        + created.outcomes().size() + " requested bits applied as asked"
        + (clamped == 0 ? "." : "; the hypervisor changed " + clamped + ":"));
    for (String line : created.lines(inv.verbose() > 0)) {
      inv.out().println("  " + line);
    }
  }

  /** Prints, per feature the guest asked about or lost, which layer decided it. */
  private static void explain(Invocation inv, DefaultsReport r) {
    inv.out().println("explain: which layer decided each CPU feature the guest asked about,"
        + " lost or gained:");
    if (r.explanation().isEmpty()) {
      inv.out().println("  (none: every feature is the default policy's)");
    }
    r.explainLines().forEach(l -> inv.out().println("  " + l));
  }
}
