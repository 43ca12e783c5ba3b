package org.nudaq.monitor.cli;

import org.nudaq.monitor.config.ConfigException;
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
    subcommands = {CommandLine.HelpCommand.class, PhysicsCommand.class, SensitivityCommand.class, LimitsCommand.class})
public final class MonitorMain implements Runnable {

  /** Exit code for a configuration that does not load. */
  public static final int EXIT_BAD_CONFIG = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** A command line with the project's error handling: configuration errors are printed plainly, exit 2. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new MonitorMain());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      if (ex instanceof ConfigException) {
        line.getErr().println(ex.getMessage());
        return EXIT_BAD_CONFIG;
      }
      throw ex;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
