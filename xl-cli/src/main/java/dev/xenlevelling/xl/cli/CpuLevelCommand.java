package dev.xenlevelling.xl.cli;

import dev.xenlevelling.xl.UsageException;
import dev.xenlevelling.xl.hostdump.HostDumpException;
import dev.xenlevelling.xl.level.LevelException;
import dev.xenlevelling.xl.policyfile.PolicyFileException;
import dev.xenlevelling.xl.pool.LevelRequest;
import dev.xenlevelling.xl.pool.PoolLevelling;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/**
 * {@code xl cpu-level [options] DUMP...}: levels the hosts whose dumps are given into one policy
 * (policy file, JSON or cpuid= lines), explains it, or answers what-if questions
 * ({@link PoolLevelling}). The project's own command (real xl has none); xl stays a single-host
 * tool, the dumps come from each host's {@code xen-cpuid --json}.
 */
final class CpuLevelCommand implements Command {
  @Override
  public int run(Invocation inv) {
    CommandLine line = inv.line();
    LevelRequest request;
    try {
      request = LevelRequest.builder()
          .format(value(line, "F")).type(value(line, "t")).xenVersion(value(line, "x"))
          .join(value(line, "j")).leave(value(line, "l")).policy(value(line, "P"))
          .domains(line.hasOption("d") ? List.of(line.getOptionValues("d")) : List.of())
          .perVendor(line.hasOption("V")).explain(line.hasOption("e"))
          .output(value(line, "o")).dumps(inv.args()).command(command(inv))
          .build();
      PoolLevelling.run(request, inv.out(), n -> inv.err().println("xl cpu-level: note: " + n));
      return 0;
    } catch (UsageException e) {
      inv.err().println("xl cpu-level: " + e.getMessage() + " (see 'xl help cpu-level')");
      return 2;
    } catch (LevelException e) {
      // --per-vendor helps a pool of dumps, not a what-if: a host of another vendor cannot join.
      return inv.fail("xl cpu-level: " + e.getMessage()
          + (e.reason() == LevelException.Reason.MIXED_VENDORS && !whatIf(line)
              ? " (--per-vendor levels each vendor's hosts into its own policy)" : ""));
    } catch (HostDumpException | PolicyFileException | IOException e) {
      return inv.fail("xl cpu-level: " + e.getMessage());
    }
  }

  private static Optional<String> value(CommandLine line, String opt) {
    return Optional.ofNullable(line.getOptionValue(opt));
  }

  private static boolean whatIf(CommandLine line) {
    return line.hasOption("j") || line.hasOption("l");
  }

  /** Returns the command for the provenance: in full, or shortened for a long list of dumps. */
  private static String command(Invocation inv) {
    StringBuilder opts = new StringBuilder("xl cpu-level");
    for (Option o : inv.line().getOptions()) {
      opts.append(" -").append(o.getOpt());
      if (o.hasArg()) {
        opts.append(' ').append(o.getValue());
      }
    }
    String full = opts + " " + String.join(" ", inv.args());
    if (full.length() <= 200) {
      return full;
    }
    return opts + " " + String.join(" ", inv.args().subList(0, Math.min(3, inv.args().size())))
        + " ... (" + inv.args().size() + " dump arguments)";
  }
}
