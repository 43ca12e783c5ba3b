package org.nudaq.server.cli;

import org.nudaq.monitor.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the daemon's commands; {@code ./nudaq run ...} dispatches here. */
@Command(name = "nudaq", mixinStandardHelpOptions = true, description = "nudaq daemon",
    subcommands = {CommandLine.HelpCommand.class, RunCommand.class, ReplayCommand.class, ExportCommand.class})
public final class ServerMain implements Runnable {
  /** Exit code for a configuration that does not load. */
  public static final int EXIT_BAD_CONFIG = CommandLines.EXIT_BAD_CONFIG;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static CommandLine commandLine() {
    // Bad replay arguments and unreadable journals are user errors: a message, exit 2.
    return CommandLines.of(new ServerMain(), IllegalArgumentException.class, org.nudaq.server.journal.JournalException.class);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
