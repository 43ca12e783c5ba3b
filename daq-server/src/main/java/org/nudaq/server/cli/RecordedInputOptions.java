package org.nudaq.server.cli;

import java.nio.file.Path;
import java.time.Instant;
import org.nudaq.server.compass.CompassImport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options that name recorded input, shared by {@code nudaq replay} and {@code nudaq export} (a
 * picocli mixin): a journal (its session and time range) or a CoMPASS folder (with its reactor state,
 * which list files do not record). Parsed on the main thread; plain fields.
 */
final class RecordedInputOptions {

  static final class Input {
    @Option(names = "--journal", paramLabel = "DIR", description = "journal directory (data/journal)")
    Path journal;

    @Option(names = "--compass", paramLabel = "DIR", description = "folder of CoMPASS .BIN/.CSV list files (needs --config)")
    Path compass;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(names = "--session", paramLabel = "N", defaultValue = "-1",
      description = "journal session number, 1 = oldest (default: the last; nudaq export takes the last one overlapping --from/--to)")
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
      description = "with --compass: the instant of CoMPASS time stamp 0 (ISO-8601, e.g. 2026-03-01T12:00:00Z); default: run.info's time.start")
  Instant runStart;

  Path journal() {
    return input.journal;
  }

  Path compass() {
    return input.compass;
  }

  /** True when a reactor flag was given (they apply to --compass only: a journal carries its states). */
  boolean reactorGiven() {
    return reactor != null || reactorTimeline != null || runStart != null;
  }

  /** The CoMPASS folder's reactor state from the flags; {@code nominalPowerMW} converts MW in a timeline. */
  CompassImport.Options compassOptions(double nominalPowerMW) {
    return CompassImport.Options.fromFlags(reactor, reactorTimeline, runStart, nominalPowerMW);
  }
}
