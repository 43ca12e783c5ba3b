package org.nudaq.server.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine;

/**
 * A plain {@code nudaq replay} command line read without picocli (issue 19: start-up). picocli builds its
 * model of a command from the annotations: the JDK makes a proxy class for each annotation type at run
 * time (7 for {@code replay}; the class-data sharing archive cannot hold them), and picocli registers its
 * converters and builds the help: ~0.07-0.1 s of CPU (0.1-0.25 s of wall time on a loaded machine) of a
 * replay of 1e6 events per channel that takes ~0.35 s in all on a quiet one (docs/benchmarks.md, session 8). The annotations of {@link ReplayCommand} and
 * {@link RecordedInputOptions} stay the definition of the options: this class reads only the common forms
 * picocli would read the same way, into the same fields, and hands everything else to picocli (returns
 * null): help, {@code --opt=value}, clustered or abbreviated options, {@code @file} arguments, {@code --},
 * a value starting with {@code -} or empty, a repeated option, an option it does not know (the instants
 * {@code --from}, {@code --to}, {@code --run-start} among them: picocli's converter words their errors), an
 * int that is not plain digits (a sign, a leading zero), a missing value, both or neither of {@code --journal} and {@code --compass}.
 * Every such line gets picocli's own parse and messages. ReplayArgsTest checks field by field that this
 * parse equals picocli's on the lines it accepts, and that every option of the annotations is either read
 * here or listed as picocli's.
 *
 * <p>Stateless; thread-safe.
 */
final class ReplayArgs {
  /** Options with a path value. */
  static final Set<String> PATHS = Set.of("--journal", "--compass", "-c", "--config", "--reactor-timeline", "--out");
  /** Options with a text value. */
  static final Set<String> TEXTS = Set.of("--reactor", "--pace");
  /** Options with an int value (plain digits here; anything else is picocli's). */
  static final Set<String> INTS = Set.of("--session", "--threads");
  /** Options without a value. */
  static final Set<String> FLAGS = Set.of("--json", "--recalibrate", "--all-sessions");

  private ReplayArgs() {}

  /**
   * The command {@code args} ({@code replay} first) name, its fields set as picocli would set them, or null
   * when picocli must read the line (see the class comment).
   */
  static ReplayCommand parse(String[] args) {
    if (args.length < 1 || !args[0].equals("replay")) {
      return null;
    }
    ReplayCommand c = defaults();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      String name = args[i];
      boolean flag = FLAGS.contains(name);
      if (!flag && !PATHS.contains(name) && !TEXTS.contains(name) && !INTS.contains(name)) {
        return null;
      }
      // -c and --config are one option: picocli refuses it twice whatever the names.
      if (!seen.add(name.equals("-c") ? "--config" : name)) {
        return null;
      }
      if (flag) {
        setFlag(c, name);
        continue;
      }
      if (i + 1 >= args.length) {
        return null;
      }
      String value = args[++i];
      if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
        return null;
      }
      if (INTS.contains(name)) {
        if (!plainDigits(value)) {
          return null;
        }
        setInt(c, name, Integer.parseInt(value));
      } else if (TEXTS.contains(name)) {
        setText(c, name, value);
      } else {
        setPath(c, name, Path.of(value));
      }
    }
    boolean journal = c.recorded.input.journal != null;
    boolean compass = c.recorded.input.compass != null;
    return journal != compass ? c : null; // exactly one of the two (picocli's exclusive group, multiplicity 1)
  }

  /**
   * Runs {@code command} as picocli's {@code execute} would: its exit status, or an exception from it
   * handed to the same handler (one line, exit 2 for a user error; see {@code CommandLines}). picocli's
   * model is built only then.
   */
  static int execute(ReplayCommand command) {
    try {
      return command.call();
    } catch (Exception e) {
      CommandLine line = ServerMain.commandLine("replay");
      try {
        return line.getExecutionExceptionHandler().handleExecutionException(e, line.getSubcommands().get("replay"), null);
      } catch (Exception unhandled) { // the handler catches everything; should it throw, exit 1 as picocli's execute does
        System.err.println("nudaq replay: internal error, please report it: " + unhandled);
        return org.nudaq.monitor.cli.CommandLines.EXIT_INTERNAL;
      }
    }
  }

  /** 1 to 9 decimal digits without a leading zero (no sign, no octal or hex question, no overflow), or "0". */
  private static boolean plainDigits(String value) {
    if (value.length() > 9 || value.length() > 1 && value.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A command with the annotations' default values (ReplayArgsTest compares them with picocli's). */
  private static ReplayCommand defaults() {
    ReplayCommand c = new ReplayCommand();
    c.recorded = new RecordedInputOptions();
    c.recorded.input = new RecordedInputOptions.Input();
    c.recorded.session = -1;
    c.pace = "max";
    c.out = Path.of("replay-out");
    c.threads = 0;
    return c;
  }

  private static void setFlag(ReplayCommand c, String name) {
    switch (name) {
      case "--json" -> c.json = true;
      case "--recalibrate" -> c.recalibrate = true;
      case "--all-sessions" -> c.allSessions = true;
      default -> throw new IllegalStateException("not a flag: " + name);
    }
  }

  private static void setInt(ReplayCommand c, String name, int value) {
    switch (name) {
      case "--session" -> c.recorded.session = value;
      case "--threads" -> c.threads = value;
      default -> throw new IllegalStateException("not an int option: " + name);
    }
  }

  private static void setText(ReplayCommand c, String name, String value) {
    switch (name) {
      case "--reactor" -> c.recorded.reactor = value;
      case "--pace" -> c.pace = value;
      default -> throw new IllegalStateException("not a text option: " + name);
    }
  }

  private static void setPath(ReplayCommand c, String name, Path value) {
    switch (name) {
      case "--journal" -> c.recorded.input.journal = value;
      case "--compass" -> c.recorded.input.compass = value;
      case "-c", "--config" -> c.config = value;
      case "--reactor-timeline" -> c.recorded.reactorTimeline = value;
      case "--out" -> c.out = value;
      default -> throw new IllegalStateException("not a path option: " + name);
    }
  }
}
