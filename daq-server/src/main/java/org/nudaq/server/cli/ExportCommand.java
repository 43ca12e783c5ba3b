package org.nudaq.server.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.export.ExportException;
import org.nudaq.server.export.ExportFormat;
import org.nudaq.server.export.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin
  RecordedInputOptions recorded;

  @Option(names = "--format", paramLabel = "lh5|parquet", required = true, description = "output format: lh5 or parquet")
  String format;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory (must not exist)")
  Path out;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "configuration; for a journal the default is the one journaled with the session")
  Path config;

  @Option(names = "--no-compression", description = "LH5: store the event columns uncompressed (faster, ~3x larger)")
  boolean noCompression;

  @Option(names = "--progress", paramLabel = "auto|always|never", defaultValue = "auto",
      description = "progress bar on stderr: auto = only on a terminal (default)")
  String progress;

  /** The CoMPASS folder's reactor state from the flags (the journal carries its own). */
  private CompassImport.Options compassOptions() {
    if (recorded.reactorTimeline == null) {
      return recorded.compassOptions(0);
    }
    if (config == null) {
      throw new IllegalArgumentException("--reactor-timeline needs --config (the reactor's nominal thermal power)");
    }
    return recorded.compassOptions(new ConfigLoader().load(config).reactor().thermalPowerMW());
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
      if (recorded.journal() != null && recorded.reactorGiven()) {
        throw new IllegalArgumentException("--reactor, --reactor-timeline and --run-start apply to --compass only"
            + " (a journal carries its reactor states)");
      }
      in = recorded.journal() != null
          ? new Exporter.JournalInput(recorded.journal(), recorded.session, recorded.from, recorded.to)
          : new Exporter.CompassInput(recorded.compass(), compassOptions());
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
