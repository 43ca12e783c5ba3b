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
    subcommands = {CommandLine.HelpCommand.class})
public final class MonitorMain implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new MonitorMain()).execute(args));
  }
}
