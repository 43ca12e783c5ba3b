package org.nudaq.monitor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.nudaq.monitor.config.ConfigException;
import picocli.CommandLine;

/**
 * The project's picocli command lines, so that no stack trace reaches an operator: a usage error is
 * one line ({@code nudaq limits: Missing required option: '--on=SPECTRUM.json' (see --help)}), a
 * configuration that does not load is its plain error list (file, key path, what is wrong; one line
 * per error), a user error or an I/O problem is one line naming the thing and the place, all with exit
 * status {@link #EXIT_USAGE}. Anything else is a bug: one line saying so, exit status
 * {@link #EXIT_INTERNAL}, and the stack trace only with the environment variable {@code NUDAQ_DEBUG}
 * set. Used by every module's main class.
 */
public final class CommandLines {
  /** Exit status for a usage error, a configuration that does not load, or a user error (as picocli does). */
  public static final int EXIT_USAGE = 2;
  /** Exit status for a configuration that does not load (the same as {@link #EXIT_USAGE}). */
  public static final int EXIT_BAD_CONFIG = EXIT_USAGE;
  /** Exit status for an unexpected error (a bug). */
  public static final int EXIT_INTERNAL = 1;

  private CommandLines() {}

  /**
   * @param command    the top-level command
   * @param userErrors further exception types that mean "the user asked for something impossible"
   *                   (printed as one line {@code nudaq COMMAND: message}, exit 2) rather than a bug
   */
  @SafeVarargs
  public static CommandLine of(Object command, Class<? extends Exception>... userErrors) {
    return configure(commandLine(command), userErrors);
  }

  /**
   * {@code new CommandLine(command)}, without picocli's look-up of Groovy's {@code Closure} class when
   * its default factory loads (system property {@code picocli.disable.closures}): nudaq has no Groovy,
   * and a class that is not there is searched for in every jar of the class path, opening each (60 for
   * the daemon module; issue 19: start-up).
   */
  public static CommandLine commandLine(Object command) {
    System.setProperty("picocli.disable.closures", "true");
    return new CommandLine(command);
  }

  /**
   * As {@link #of}, for a command line whose subcommands the caller added (picocli applies these
   * settings to the subcommands present when they are set, not to those added later).
   */
  @SafeVarargs
  public static CommandLine configure(CommandLine cl, Class<? extends Exception>... userErrors) {
    cl.registerConverter(Instant.class, new InstantConverter());
    withVersion(cl);
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler(new ExecutionErrors(userErrors));
    return cl;
  }

  // The converter and the two handlers are named classes, not lambdas: a lambda implementing one of
  // picocli's interfaces (Java 5 class files) makes the class-data sharing dump skip that interface and
  // every class implementing it, ~30 of picocli's own (issue 19: start-up; see ./nudaq, make_cds_archive).

  /** Every command's {@code -V/--version} (picocli's standard help options) prints the build's version. */
  private static void withVersion(CommandLine cl) {
    if (cl.getCommandSpec().versionProvider() == null) {
      cl.getCommandSpec().versionProvider(new BuildVersion());
    }
    for (CommandLine sub : cl.getSubcommands().values()) { // a loop, not a lambda: no java.lang.invoke at start-up
      withVersion(sub);
    }
  }

  /** {@code nudaq 0.1.0-SNAPSHOT}: the project's version, written into version.properties by the build. */
  static final class BuildVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      java.util.Properties p = new java.util.Properties();
      try (var in = CommandLines.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"nudaq " + p.getProperty("version", "(version unknown: no version.properties in the build)")};
    }
  }

  /** {@code --run-start 2026-12-07T03:00:00Z}: an ISO-8601 instant, or a one-line usage error. */
  private static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
      return instant(text);
    }
  }

  /** A usage error: one line naming the command, exit status {@link #EXIT_USAGE}. */
  private static final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      CommandLine line = ex.getCommandLine();
      line.getErr().println(prefix(line) + oneLine(ex.getMessage()) + " (see --help)");
      line.getErr().flush();
      return EXIT_USAGE;
    }
  }

  /** An exception from a command: a user error in one line (exit 2), anything else a bug (exit 1). */
  private static final class ExecutionErrors implements CommandLine.IExecutionExceptionHandler {
    private final Class<? extends Exception>[] userErrors;

    ExecutionErrors(Class<? extends Exception>[] userErrors) {
      this.userErrors = userErrors.clone();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine line, CommandLine.ParseResult parseResult) {
      PrintWriter err = line.getErr();
      try {
        if (ex instanceof ConfigException) {
          err.println(ex.getMessage());
          return EXIT_BAD_CONFIG;
        }
        for (Class<? extends Exception> type : userErrors) {
          if (type.isInstance(ex)) {
            err.println(prefix(line) + oneLine(ex.getMessage()));
            return EXIT_USAGE;
          }
        }
        if (ex instanceof UncheckedIOException u) {
          err.println(prefix(line) + oneLine(u.getMessage()));
          return EXIT_USAGE;
        }
        if (ex instanceof IOException io) {
          err.println(prefix(line) + describe(io));
          return EXIT_USAGE;
        }
        err.println(prefix(line) + "internal error, please report it: " + oneLine(
            ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage())
            + (debug() ? "" : " (NUDAQ_DEBUG=1 prints the details)"));
        if (debug()) {
          ex.printStackTrace(err);
        }
        return EXIT_INTERNAL;
      } finally {
        err.flush();
      }
    }
  }

  /**
   * What went wrong with a file, in words, without the exception's class name: {@code /x.json: no
   * such file}, {@code /root/y: permission denied}.
   */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      String what;
      if (f instanceof NoSuchFileException) {
        what = "no such file or directory";
      } else if (f instanceof AccessDeniedException) {
        what = "permission denied";
      } else if (f instanceof NotDirectoryException) {
        what = "not a directory";
      } else if (f instanceof FileAlreadyExistsException) {
        what = "already exists";
      } else if (f instanceof DirectoryNotEmptyException) {
        what = "directory not empty";
      } else {
        what = f.getReason() == null ? "cannot access" : f.getReason();
      }
      return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + what;
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not an ISO-8601 instant such as 2026-12-07T03:00:00Z");
    }
  }

  /** The message with its line breaks folded, so that every error is one line. */
  static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  private static String prefix(CommandLine line) {
    String name = line.getCommandSpec().qualifiedName();
    return (name.startsWith("nudaq") ? name : "nudaq " + name) + ": ";
  }

  private static boolean debug() {
    String v = System.getenv("NUDAQ_DEBUG");
    return v != null && !v.isEmpty() && !v.equals("0");
  }
}
