package dev.xenlevelling.xl.cli;

/** One xl subcommand's implementation: given its parsed invocation, returns the exit code. */
interface Command {
  /** Runs the command; returns 0 on success, 1 on a failed operation, 2 on bad usage. */
  int run(Invocation inv);
}
