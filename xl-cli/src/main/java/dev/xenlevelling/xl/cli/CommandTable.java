package dev.xenlevelling.xl.cli;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * xl's command table, in help order, and its lookup (exact name, else unique prefix), as
 * xl_cmdtable.c's {@code cmd_table[]} and {@code cmdtable_lookup}.
 */
final class CommandTable {
  static final ImmutableList<CommandSpec> COMMANDS = ImmutableList.of(
      new CommandSpec("create", true, true, "Create a domain from config file <filename>",
          "<ConfigFile> [options] [vars]", 0),
      new CommandSpec("list", false, false, "List information about all/some domains",
          "[options] [Domain]", 0),
      new CommandSpec("destroy", false, true, "Terminate a domain immediately", "<Domain>", 1),
      new CommandSpec("info", false, false, "Get information about Xen host", "", 0),
      new CommandSpec("cpuid-show", false, false,
          "Show a domain's effective CPUID policy, decoded by feature name", "<Domain>", 1),
      new CommandSpec("cpu-level", false, false,
          "Level the CPU policies of a pool of hosts from their dumps", "[options] <Dump>...", 0),
      new CommandSpec("cpu-compat", false, false,
          "Check a domain or a host dump against hosts, naming missing features",
          "<Domain|Dump> <HostDump>...", 2));

  /**
   * Returns the options of the command {@code name}, {@code -h} included, built when asked: a
   * run needs only its own command's (start-up rule 7, docs/performance.md).
   */
  static Options optionsOf(String name) {
    switch (name) {
      case "create":
        return options(
            Option.builder("p").desc("Leave the domain paused after it is created.").build(),
            Option.builder("c").desc("Connect to the console after the domain is created\n"
                + "(not supported by the simulated host).").build(),
            Option.builder("f").longOpt("defconfig").hasArg().argName("FILE")
                .desc("Use the given configuration file.").build(),
            Option.builder("n").longOpt("dryrun")
                .desc("Dry run - prints the resulting configuration\n"
                    + "(deprecated in favour of global -N option).").build(),
            Option.builder("q").longOpt("quiet").desc("Quiet.").build(),
            Option.builder().longOpt("explain")
                .desc("Say which layer decided each CPU feature the guest\n"
                    + "asked about or lost (defaults, policy, xl.conf,\n"
                    + "config, command line, hypervisor).").build(),
            Option.builder().longOpt("strict")
                .desc("Refuse to create the domain if the CPU policy of\n"
                    + "xl.conf is stale (as vm.cpuid_policy_strict=1).").build());
      case "list":
        return options(
            Option.builder("l").longOpt("long").desc("Output all VM details").build());
      case "destroy":
      case "info":
      case "cpuid-show":
        return options();
      case "cpu-level":
        return options(
            Option.builder("o").longOpt("output").hasArg().argName("FILE")
                .desc("Write the result to FILE (atomically), not to stdout.").build(),
            Option.builder("F").longOpt("format").hasArg().argName("FMT")
                .desc("yaml (policy file, default), json, cpuid (a cpuid= line,\n"
                    + "libxl syntax) or xend (a cpuid= list, xend syntax).").build(),
            Option.builder("t").longOpt("type").hasArg().argName("TYPE")
                .desc("With cpuid or xend: only the pv or hvm line, bare.").build(),
            Option.builder("x").longOpt("xen-version").hasArg().argName("VERSION")
                .desc("With cpuid or xend: the Xen whose libxl reads the line\n"
                    + "(4.17, 4.18.2, latest; 4.18 means 4.18.0). Default:\n"
                    + "the oldest the dumps name, else latest.").build(),
            Option.builder("V").longOpt("per-vendor")
                .desc("Level each CPU vendor's hosts separately.").build(),
            Option.builder("e").longOpt("explain")
                .desc("Explain: which host removed which feature, what each\n"
                    + "host costs the pool, which limits it lowered.").build(),
            Option.builder("j").longOpt("join").hasArg().argName("DUMP")
                .desc("What if the host of DUMP joined the pool.").build(),
            Option.builder("l").longOpt("leave").hasArg().argName("HOST")
                .desc("What if HOST left the pool.").build(),
            Option.builder("P").longOpt("policy").hasArg().argName("FILE")
                .desc("With -j: the pool is the one FILE (a policy file)\n"
                    + "was levelled from, not dumps.").build(),
            Option.builder("d").longOpt("domain").hasArg().argName("HOST:FILE")
                .desc("With -j/-l: the running domains of HOST, as\n"
                    + "'xl cpuid-show' printed them there (repeatable).").build());
      case "cpu-compat":
        return options(Option.builder("t").longOpt("type").hasArg().argName("TYPE")
            .desc("The guest type (pv or hvm) of a domain given as\n"
                + "'xen-cpuid -p DOMID' output, which does not say it.").build());
      default:
        throw new IllegalArgumentException("no xl command " + name);
    }
  }

  /**
   * Returns a new implementation of the command {@code name} (a switch, not a method reference
   * per command: start-up rule 3, docs/performance.md).
   */
  static Command newCommand(String name) {
    switch (name) {
      case "create":
        return new CreateCommand();
      case "list":
        return new ListCommand();
      case "destroy":
        return new DestroyCommand();
      case "info":
        return new InfoCommand();
      case "cpuid-show":
        return new CpuidShowCommand();
      case "cpu-level":
        return new CpuLevelCommand();
      case "cpu-compat":
        return new CpuCompatCommand();
      default:
        throw new IllegalArgumentException("no xl command " + name);
    }
  }

  private CommandTable() {}

  /** Returns {@code opts} plus {@code -h}, which every command has. */
  static Options options(Option... opts) {
    Options o = new Options();
    o.addOption(Option.builder("h").desc("Print this help.").build());
    for (Option opt : opts) {
      o.addOption(opt);
    }
    return o;
  }

  /** The result of looking a name up. */
  record Lookup(Optional<CommandSpec> spec, List<String> candidates) {}

  /** Returns the command named {@code s}, or the only one whose name starts with it. */
  static Lookup lookup(String s) {
    // Loops, not streams: this runs at every xl's start.
    List<CommandSpec> matches = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (CommandSpec c : COMMANDS) {
      if (c.name().equals(s)) {
        return new Lookup(Optional.of(c), List.of(c.name()));
      }
      if (c.name().startsWith(s)) {
        matches.add(c);
        names.add(c.name());
      }
    }
    return new Lookup(matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty(),
        List.copyOf(names));
  }

  /** Returns {@code xl help}: the usage line and every command, as xl's help(NULL). */
  static String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("Usage xl [-vfN] <subcommand> [args]\n\n");
    sb.append("xl full list of subcommands:\n\n");
    for (CommandSpec c : COMMANDS) {
      sb.append(String.format(Locale.ROOT, " %-19s ", c.name()));
      if (c.name().length() > 19) {
        sb.append(String.format(Locale.ROOT, "\n %-19s ", ""));
      }
      sb.append(c.description()).append('\n');
    }
    return sb.toString();
  }

  /** Returns {@code xl help COMMAND}: usage, description and options, as xl's help(cmd). */
  static String help(CommandSpec c) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Usage: xl [-v%s%s] %s %s\n\n%s.\n\n",
        c.modifies() ? "f" : "", c.canDryrun() ? "N" : "", c.name(), c.usage(),
        c.description()));
    sb.append("Options:\n\n");
    for (Option o : c.options().getOptions()) {
      String flags = (o.getOpt() == null ? "--" + o.getLongOpt()
          : "-" + o.getOpt() + (o.hasLongOpt() ? ", --" + o.getLongOpt() : ""))
          + (o.hasArg() ? (o.hasLongOpt() ? "=" : " ") + o.getArgName() : "");
      String[] desc = o.getDescription().split("\n");
      String first = flags.length() < 24
          ? String.format(Locale.ROOT, "%-24s%s", flags, desc[0])
          : flags + "\n" + " ".repeat(24) + desc[0];
      sb.append(first).append('\n');
      for (int i = 1; i < desc.length; i++) {
        sb.append(" ".repeat(24)).append(desc[i]).append('\n');
      }
    }
    return sb.toString();
  }

  /** Returns the names of {@code specs} joined for a message. */
  static String names(List<String> names) {
    return names.stream().collect(Collectors.joining(", "));
  }
}
