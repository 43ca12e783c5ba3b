package org.nudaq.monitor.cli;

import org.nudaq.monitor.config.ConfigException;
import picocli.CommandLine;

/**
 * The project's picocli command lines: a configuration that does not load is reported as its plain
 * error list (file, key path, what is wrong) with exit status {@link #EXIT_BAD_CONFIG}, never as a
 * stack trace. Used by every module's main class.
 */
public final class CommandLines {
  /** Exit status for a configuration that does not load (and for usage errors, as picocli does). */
  public static final int EXIT_BAD_CONFIG = 2;

  private CommandLines() {}

  public static CommandLine of(Object command) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      if (ex instanceof ConfigException) {
        line.getErr().println(ex.getMessage());
        return EXIT_BAD_CONFIG;
      }
      throw ex;
    });
    return cl;
  }
}
