package dev.xenlevelling.xl.cli;

import org.apache.commons.cli.Options;

/**
 * One row of xl's command table ({@code cmd_table[]} in xl_cmdtable.c).
 *
 * @param name the subcommand's name
 * @param canDryrun whether global {@code -N} is allowed
 * @param modifies whether the command changes state (global {@code -f} is shown in its usage)
 * @param description one line for {@code xl help}
 * @param usage the arguments after the name
 * @param minArgs how many non-option arguments are required
 */
record CommandSpec(
    String name,
    boolean canDryrun,
    boolean modifies,
    String description,
    String usage,
    int minArgs) {

  /** Returns the command's own options ({@code -h} included), built anew. */
  Options options() {
    return CommandTable.optionsOf(name);
  }

  /** Returns a new implementation of the command. */
  Command newCommand() {
    return CommandTable.newCommand(name);
  }
}
