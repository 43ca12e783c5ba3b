package org.nudaq.monitor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the monitor module's commands: the physics model and the statistics, usable
 * without any daemon. Each subcommand is its own class; {@code ./nudaq} dispatches to this main.
 */
@Command(
    name = "nudaq",
    mixinStandardHelpOptions = true,
    description = "nudaq physics model and statistics",
    subcommands = {CommandLine.HelpCommand.class, PhysicsCommand.class, SensitivityCommand.class, LimitsCommand.class,
        CoverageCommand.class, SystematicsCommand.class})
public final class MonitorMain implements Runnable {

  /** Exit code for a configuration that does not load. */
  public static final int EXIT_BAD_CONFIG = CommandLines.EXIT_BAD_CONFIG;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** A command line with the project's error handling: configuration errors are printed plainly, exit 2. */
  public static CommandLine commandLine() {
    return CommandLines.of(new MonitorMain());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
