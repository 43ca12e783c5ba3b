package org.nudaq.server.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.export.ExportException;
import org.nudaq.server.export.ExportFormat;
import org.nudaq.server.export.Exporter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nudaq export}: a journal session (or a time range of it) or a CoMPASS folder through the
 * pipeline, written as LH5 or Parquet for offline analysis (docs/export.md). A failure prints one line
 * ({@code nudaq export: ...}) and exits 1, leaving no output behind.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export events with their fate, spectra and tables (LH5 or Parquet) from a journal or CoMPASS files.")
public final class ExportCommand implements Callable<Integer> {
  /** Exit status of a failed export (bad input, unwritable output, full disk). */
  public static final int EXIT_FAILED = 1;

  static final class Input {
    @Option(names = "--journal", paramLabel = "DIR", description = "journal directory (data/journal)")
    Path journal;

    @Option(names = "--compass", paramLabel = "DIR", description = "folder of CoMPASS .BIN/.CSV list files (needs --config)")
    Path compass;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(names = "--format", paramLabel = "lh5|parquet", required = true, description = "output format: lh5 or parquet")
  String format;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory (must not exist)")
  Path out;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "configuration; for a journal the default is the one journaled with the session")
  Path config;

  @Option(names = "--session", paramLabel = "N", defaultValue = "-1",
      description = "journal session, 1 = oldest (default: the last, or the last overlapping --from/--to)")
  int session;

  @Option(names = "--from", paramLabel = "T", description = "only frames journaled at or after T (ISO-8601 instant)")
  Instant from;

  @Option(names = "--to", paramLabel = "T", description = "only frames journaled before T (ISO-8601 instant)")
  Instant to;

  @Option(names = "--reactor", paramLabel = "on|off", description = "with --compass: the reactor state of the whole folder")
  String reactor;

  @Option(names = "--reactor-timeline", paramLabel = "FILE",
      description = "with --compass: the plant's reactor timeline (CSV time,state,power; README 'Reactor timeline')")
  Path reactorTimeline;

  @Option(names = "--run-start", paramLabel = "T",
      description = "with --compass: the instant of CoMPASS time stamp 0 (ISO-8601); default: run.info's time.start")
  Instant runStart;

  @Option(names = "--no-compression", description = "LH5: store the event columns uncompressed (faster, ~3x larger)")
  boolean noCompression;

  @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "progress bar on stderr: auto = only on a terminal (default)")
  String progress;

  /** The CoMPASS folder's reactor state from the flags (the journal carries its own). */
  private CompassImport.Options compassOptions() {
    if (reactorTimeline == null) {
      return CompassImport.Options.fromFlags(reactor, null, runStart, 0);
    }
    if (config == null) {
      throw new IllegalArgumentException("--reactor-timeline needs --config (the reactor's nominal thermal power)");
    }
    NudaqConfig c = new ConfigLoader().load(config);
    return CompassImport.Options.fromFlags(reactor, reactorTimeline, runStart, c.reactor().thermalPowerMW());
  }

  @Override
  public Integer call() {
    // jHDF logs every dataset it writes at INFO (thousands of lines per export): warnings only.
    System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "warn");
    ExportFormat f;
    try {
      f = ExportFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("nudaq export: --format must be lh5 or parquet, got " + format);
      return EXIT_FAILED;
    }
    if (!progress.equals("auto") && !progress.equals("always") && !progress.equals("never")) {
      System.err.println("nudaq export: --progress must be auto, always or never, got " + progress);
      return EXIT_FAILED;
    }
    // auto: only when the JVM has a terminal (System.console(): stdin and stdout are terminals).
    boolean bar = progress.equals("always") || progress.equals("auto") && System.console() != null;
    Exporter.Input in;
    try {
      in = input.journal != null ? new Exporter.JournalInput(input.journal, session, from, to)
          : new Exporter.CompassInput(input.compass, compassOptions());
    } catch (RuntimeException e) {
      System.err.println("nudaq export: " + e.getMessage());
      return EXIT_FAILED;
    }
    try {
      Exporter.Result r = new Exporter(f, !noCompression, bar ? System.err : null).export(in, config, out);
      System.out.printf(Locale.ROOT, "nudaq export: %,d events from %s in %.1f s (%.3g events/s), accounting balances: %s%n",
          r.events(), r.input(), r.elapsedNanos() * 1e-9, r.eventsPerSecond(), r.accountingBalances());
      System.out.println("nudaq export: " + f.name().toLowerCase(Locale.ROOT) + " written to " + r.out());
      return 0;
    } catch (ExportException e) {
      System.err.println("nudaq export: " + e.getMessage());
      return EXIT_FAILED;
    }
  }
}
