package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.CreateResult;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.config.Config;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.config.ConfigParser;
import dev.xenlevelling.xl.cpuid.CpuidParser;
import dev.xenlevelling.xl.domain.DomainConfig;
import dev.xenlevelling.xl.domain.DomainConfigParser;
import dev.xenlevelling.xl.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code xl create [-n] CONFIG [KEY=VALUE...]}: arguments with {@code =} are extra settings,
 * parsed with the config grammar after the file (later wins), as real xl.
 */
final class CreateCommand implements Command {
  /** The source name xl gives the command-line settings in messages. */
  static final String COMMAND_LINE = "command line";

  @Override
  public int run(Invocation inv) {
    String file = null;
    StringBuilder extra = new StringBuilder();
    for (String a : inv.args()) {
      if (a.indexOf('=') >= 0) {
        extra.append(a).append('\n');
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
    if (!quiet) {
      inv.err().println("Parsing config from " + file);
    }
    DomainConfig domain;
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      Config config = ConfigParser.parse(file, text);
      config = ConfigParser.parse(COMMAND_LINE, extra.toString(), config);
      domain = DomainConfigParser.parse(config, CpuidParser.latest());
    } catch (NoSuchFileException e) {
      return inv.fail("Failed to read config file: " + file + ": No such file or directory");
    } catch (IOException e) {
      return inv.fail("Failed to read config file: " + file + ": " + e.getMessage());
    } catch (ConfigException e) {
      return inv.fail(e.getMessage());
    }
    domain.warnings().forEach(inv.err()::println);
    if (inv.dryRun() || inv.line().hasOption("n")) {
      inv.out().print(Json.pretty(domain.toJsonTree()));
      return 0;
    }
    CreateResult created;
    try {
      created = inv.libxl().open().create(domain, file, text, extra.toString());
    } catch (LibxlException e) {
      return inv.fail("xl create: " + e.getMessage());
    }
    if (!quiet) {
      report(inv, created, domain.cpuid().isEmpty());
    }
    return 0;
  }

  /** Prints the new domain and, per requested cpuid= bit, what the hypervisor clamped. */
  private static void report(Invocation inv, CreateResult created, boolean noCpuid) {
    inv.out().println("Domain " + created.name() + " created with id " + created.domid() + ".");
    if (noCpuid) {
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
}
