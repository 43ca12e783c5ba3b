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

  /**
   * @param command    the top-level command
   * @param userErrors further exception types that mean "the user asked for something impossible"
   *                   (printed as {@code nudaq: message}, exit 2) rather than a bug (stack trace)
   */
  @SafeVarargs
  public static CommandLine of(Object command, Class<? extends Exception>... userErrors) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
      if (ex instanceof ConfigException) {
        line.getErr().println(ex.getMessage());
        return EXIT_BAD_CONFIG;
      }
      for (Class<? extends Exception> type : userErrors) {
        if (type.isInstance(ex)) {
          line.getErr().println("nudaq: " + ex.getMessage());
          return EXIT_BAD_CONFIG;
        }
      }
      throw ex;
    });
    return cl;
  }
}
