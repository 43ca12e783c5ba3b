package org.nudaq.server.cli;

import org.nudaq.monitor.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the daemon's commands; {@code ./nudaq run ...} dispatches here. */
@Command(name = "nudaq", mixinStandardHelpOptions = true, description = "nudaq daemon",
    subcommands = {CommandLine.HelpCommand.class, RunCommand.class, ReplayCommand.class})
public final class ServerMain implements Runnable {
  /** Exit code for a configuration that does not load. */
  public static final int EXIT_BAD_CONFIG = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ServerMain());
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      if (ex instanceof ConfigException) {
        line.getErr().println(ex.getMessage());
        return EXIT_BAD_CONFIG;
      }
      if (ex instanceof IllegalArgumentException || ex instanceof org.nudaq.server.journal.JournalException) {
        line.getErr().println("nudaq: " + ex.getMessage());
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
