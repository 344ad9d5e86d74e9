package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.CreateRequest;
import dev.xenlevelling.xl.CreateResult;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.UsageException;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.defaults.DefaultsException;
import dev.xenlevelling.xl.defaults.DefaultsReport;
import dev.xenlevelling.xl.defaults.XlConf;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.json.Json;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * {@code xl create [-p] [-n] [-q] [--explain] [--strict] [-f FILE | FILE] [KEY=VALUE...]}: the
 * config file by {@code -f} or as the first argument without {@code =}, as xl
 * ({@link CreateRequest}); {@code -p} leaves the domain paused; {@code -c} (console) is refused,
 * the simulated host has none. The CPU request is merged with xl.conf's host-wide defaults (see
 * docs/xl.md, "Host-wide defaults").
 */
final class CreateCommand implements Command {
  @Override
  public int run(Invocation inv) {
    if (inv.line().hasOption("c")) {
      return inv.fail("xl create: -c: the simulated host has no domain consoles"
          + " (not supported by the simulated host)");
    }
    CreateRequest request;
    try {
      request = CreateRequest.of(Optional.ofNullable(inv.line().getOptionValue("f")), inv.args());
    } catch (UsageException e) {
      inv.err().println("xl create: " + e.getMessage() + " (see 'xl help create')");
      return 2;
    }
    boolean explain = inv.line().hasOption("explain");
    boolean strict = inv.line().hasOption("strict");
    if (!inv.line().hasOption("q")) {
      inv.err().println("Parsing config from " + request.file());
    }
    try {
      DomainConfigFile domain = request.read();
      XlConf conf = XlConf.load(inv.configDir());
      domain.config().warnings().forEach(inv.err()::println);
      if (inv.dryRun() || inv.line().hasOption("n")) {
        // -N: libxl's JSON of the configuration, its cpuid the merge with the defaults; the
        // warnings and the predicted explanation on stderr, so the JSON stays machine-readable.
        // Without defaults or --explain, no host is needed.
        DomainConfig config = domain.config();
        if (conf.hasCpuDefaults() || explain) {
          DefaultsReport r = inv.libxl().open().preview(domain, conf, strict);
          r.warnings().forEach(inv.err()::println);
          if (explain) {
            r.predictedExplainReport().forEach(inv.err()::println);
          }
          config = config.withCpuid(r.plan().orElseThrow().merged());
        }
        inv.out().print(Json.pretty(config.toJsonTree()));
        return 0;
      }
      CreateResult created =
          inv.libxl().open().create(domain, conf, strict, inv.line().hasOption("p"));
      created.defaults().warnings().forEach(inv.err()::println);
      if (!inv.line().hasOption("q")) {
        created.report(inv.verbose() > 0).forEach(inv.out()::println);
      }
      if (explain) {
        created.defaults().explainReport().forEach(inv.out()::println);
      }
      return 0;
    } catch (NoSuchFileException e) {
      return inv.fail("Failed to read config file: " + request.file()
          + ": No such file or directory");
    } catch (IOException e) {
      return inv.fail("Failed to read config file: " + request.file() + ": " + e.getMessage());
    } catch (LibxlException e) {
      return inv.fail("xl create: " + e.getMessage());
    } catch (ConfigException | DefaultsException e) {
      return inv.fail(e.getMessage());
    }
  }
}
