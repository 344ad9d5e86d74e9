package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.CreateResult;
import dev.xenlevelling.xl.LibxlException;
import dev.xenlevelling.xl.config.ConfigException;
import dev.xenlevelling.xl.domain.DomainConfigFile;
import dev.xenlevelling.xl.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code xl create [-n] CONFIG [KEY=VALUE...]}: arguments with {@code =} are extra settings,
 * parsed with the config grammar after the file (later wins), as real xl.
 */
final class CreateCommand implements Command {
  @Override
  public int run(Invocation inv) {
    String file = null;
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
    if (!quiet) {
      inv.err().println("Parsing config from " + file);
    }
    DomainConfigFile domain;
    try {
      String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      domain = DomainConfigFile.parse(file, text, settings);
    } catch (NoSuchFileException e) {
      return inv.fail("Failed to read config file: " + file + ": No such file or directory");
    } catch (IOException e) {
      return inv.fail("Failed to read config file: " + file + ": " + e.getMessage());
    } catch (ConfigException e) {
      return inv.fail(e.getMessage());
    }
    domain.config().warnings().forEach(inv.err()::println);
    if (inv.dryRun() || inv.line().hasOption("n")) {
      inv.out().print(Json.pretty(domain.config().toJsonTree()));
      return 0;
    }
    CreateResult created;
    try {
      created = inv.libxl().open().create(domain);
    } catch (LibxlException e) {
      return inv.fail("xl create: " + e.getMessage());
    }
    if (!quiet) {
      report(inv, created, domain.config().cpuid().isEmpty());
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
