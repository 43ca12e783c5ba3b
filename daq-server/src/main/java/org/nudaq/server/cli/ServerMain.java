package org.nudaq.server.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.nudaq.monitor.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the daemon's commands; {@code ./nudaq run ...} dispatches here. */
@Command(name = "nudaq", mixinStandardHelpOptions = true, description = "nudaq daemon")
public final class ServerMain implements Runnable {
  /** Exit code for a configuration that does not load. */
  public static final int EXIT_BAD_CONFIG = CommandLines.EXIT_BAD_CONFIG;

  /**
   * The subcommands, in the order the usage lists them: in a holder class, made on first use. Their method
   * references are the first lambdas a replay would link, before main: java.lang.invoke's set-up, ~5-8 ms
   * (issue 19: start-up); a plain replay never uses them (ReplayArgs).
   */
  private static final class Subcommands {
    static final Map<String, Supplier<Object>> ALL = subcommands();
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  /** The command line with every subcommand. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line with subcommand {@code only} alone, or with all when it is null. picocli builds
   * each subcommand's model from its annotations when it is added (reflection, annotation proxies):
   * ~40 ms of CPU in a cold JVM that {@code nudaq replay} need not pay for run and export (issue 19).
   */
  static CommandLine commandLine(String only) {
    CommandLine cl = CommandLines.commandLine(new ServerMain());
    Subcommands.ALL.forEach((name, command) -> {
      if (only == null || only.equals(name)) {
        cl.addSubcommand(name, command.get());
      }
    });
    // Bad replay arguments and unreadable journals are user errors: a message, exit 2.
    return CommandLines.configure(cl, IllegalArgumentException.class, org.nudaq.server.journal.JournalException.class);
  }

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("help", new HelpSupplier());
    m.put("run", RunCommand::new);
    m.put("replay", ReplayCommand::new);
    m.put("export", ExportCommand::new);
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * picocli's help subcommand, made on demand. Not a method reference: picocli's HelpCommand is a Java 5 class
   * that the class-data sharing archive cannot hold linked, so the archive cannot hold a lambda made for it
   * either, and every start (also a replay, which never adds it) spun one at run time (a class generated
   * through ASM, ~70 classes loaded, picocli's jar opened for HelpCommand; issue 19: start-up).
   */
  private static final class HelpSupplier implements Supplier<Object> {
    @Override
    public Object get() {
      return new CommandLine.HelpCommand();
    }
  }

  public static void main(String[] args) {
    // A plain `nudaq replay ...` without picocli's model (issue 19: start-up); anything else is picocli's.
    ReplayCommand replay = ReplayArgs.parse(args);
    if (replay != null) {
      System.exit(ReplayArgs.execute(replay));
    }
    // `nudaq replay ...` needs the replay subcommand only; `nudaq help replay`, `nudaq --help`, a typo: all.
    String first = args.length > 0 && !args[0].equals("help") && Subcommands.ALL.containsKey(args[0]) ? args[0] : null;
    System.exit(commandLine(first).execute(args));
  }
}
