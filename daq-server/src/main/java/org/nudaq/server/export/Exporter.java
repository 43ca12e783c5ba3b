package org.nudaq.server.export;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassImport;
import org.nudaq.server.ingest.PipelineInputs;
import org.nudaq.server.journal.JournalPlayer;
import org.nudaq.server.journal.JournalReader;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.JournalVisitor;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.replay.JournalReplay;

/**
 * {@code nudaq export}: a journal session (or a time range of it) or a CoMPASS folder through the same
 * pipeline code as the daemon and {@code nudaq replay}, writing every event with its fate, the spectra
 * of every stage and the tables in LH5 or Parquet (docs/export.md).
 *
 * <p>Everything is written into a hidden temporary directory next to the output, which is renamed to
 * the output's name only when complete; on any failure it is deleted and an {@link ExportException}
 * with a one-line message is thrown. Memory is bounded: one {@link EventBatch} of
 * {@link #BATCH_ROWS} rows, the writer's part, and the pipeline's own buffers. Single-threaded; one
 * instance per export.
 */
public final class Exporter {
  /** Rows per event batch handed from the pipeline to the writer. */
  static final int BATCH_ROWS = 1 << 16;

  /** Where the events come from. */
  public sealed interface Input permits JournalInput, CompassInput {}

  /**
   * A journal session.
   *
   * @param dir     the journal directory
   * @param session 1 = oldest; −1: the last session, or with a range the last session overlapping it
   * @param from    only frames journaled at or after it (null: from the session's start)
   * @param to      only frames journaled before it (null: to the session's end)
   */
  public record JournalInput(Path dir, int session, Instant from, Instant to) implements Input {}

  /** A folder of CoMPASS list files (needs a configuration with compass.channels). */
  public record CompassInput(Path dir, CompassImport.Options options) implements Input {
    /** A folder without a reactor state (its HPGe events are gated REACTOR_UNKNOWN). */
    public CompassInput(Path dir) {
      this(dir, CompassImport.Options.NONE);
    }
  }

  /**
   * What an export did.
   *
   * @param out          the output directory
   * @param events       events written
   * @param snapshot     the pipeline's final snapshot
   * @param accountingBalances whether the pipeline's accounting balanced
   * @param elapsedNanos wall time, ns
   * @param input        where the events came from
   */
  public record Result(Path out, long events, PipelineSnapshot snapshot, boolean accountingBalances, long elapsedNanos,
      String input) {
    public double eventsPerSecond() {
      return elapsedNanos == 0 ? 0 : events * 1e9 / elapsedNanos;
    }
  }

  private final ExportFormat format;
  private final boolean deflate;
  private final PrintStream progressOut;
  private final int partRows;

  /**
   * @param format      the output format
   * @param deflate     LH5: compress the event columns (Parquet is always zstd)
   * @param progressOut a terminal to draw a progress bar on, or null
   */
  public Exporter(ExportFormat format, boolean deflate, PrintStream progressOut) {
    this(format, deflate, progressOut, format == ExportFormat.LH5 ? Lh5Writer.PART_ROWS : ParquetWriter.PART_ROWS);
  }

  /** With another number of events per events file (tests: several parts from a small input). */
  Exporter(ExportFormat format, boolean deflate, PrintStream progressOut, int partRows) {
    this.format = format;
    this.deflate = deflate;
    this.progressOut = progressOut;
    this.partRows = partRows;
  }

  /**
   * Exports {@code input} into the directory {@code out}, which must not exist.
   *
   * @param configFile the configuration to run the pipeline with; null for a journal session's own
   * @throws ExportException with a one-line message (nothing is left at {@code out} or beside it)
   */
  public Result export(Input input, Path configFile, Path out) {
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new ExportException("the output out=" + out + " exists; give a new --out (an export never overwrites)");
    }
    Path parent = target.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new ExportException("the output's parent directory " + parent + " does not exist");
    }
    Plan plan = plan(input, configFile);
    Path tmp = parent.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    try {
      Files.createDirectory(tmp);
    } catch (IOException e) {
      throw new ExportException("cannot write the output out=" + out + ": " + reason(e), e);
    }
    try {
      Result r = write(plan, tmp, target, t0);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return r;
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      if (e instanceof ExportException x) {
        throw x;
      }
      if (e instanceof FileAlreadyExistsException) {
        throw new ExportException("the output out=" + out + " appeared during the export; nothing written", e);
      }
      Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
      throw new ExportException("export to out=" + out + " failed, nothing written: " + reason(io), e);
    }
  }

  /** The input resolved: the configuration and, for a journal, the session and its wall-clock span. */
  private record Plan(Input input, NudaqConfig config, String configText, JournalSession session, int sessionNumber, int sessions,
      long spanStartMs, long spanEndMs, long fromMs, long toMs, String description) {}

  private static Plan plan(Input input, Path configFile) {
    NudaqConfig config = configFile == null ? null : new ConfigLoader().load(configFile);
    String text = null;
    if (configFile != null) {
      try {
        text = Files.readString(configFile);
      } catch (IOException e) {
        throw new ExportException("cannot read the configuration file=" + configFile + ": " + reason(e), e);
      }
    }
    if (input instanceof CompassInput c) {
      if (config == null) {
        throw new ExportException("--compass needs --config FILE (its compass.channels map)");
      }
      if (!Files.isDirectory(c.dir())) {
        throw new ExportException("the CoMPASS folder dir=" + c.dir() + " is not a directory");
      }
      return new Plan(input, config, text, null, 0, 0, 0, 0, 0, 0, "compass " + c.dir().toAbsolutePath().normalize());
    }
    JournalInput j = (JournalInput) input;
    if (!Files.isDirectory(j.dir())) {
      throw new ExportException("the journal dir=" + j.dir() + " is not a directory");
    }
    List<JournalSession> sessions = JournalSession.all(j.dir());
    if (sessions.isEmpty()) {
      throw new ExportException("the journal dir=" + j.dir() + " has no session");
    }
    long endOfJournal = JournalSession.tail(j.dir()).newestEpochMs();
    long fromMs = j.from() == null ? Long.MIN_VALUE : j.from().toEpochMilli();
    long toMs = j.to() == null ? Long.MAX_VALUE : j.to().toEpochMilli();
    if (fromMs >= toMs) {
      throw new ExportException("--from " + j.from() + " is not before --to " + j.to());
    }
    int chosen;
    if (j.session() > 0 || j.session() == 0) {
      if (j.session() < 1 || j.session() > sessions.size()) {
        throw new ExportException("--session must be 1.." + sessions.size() + " (the journal dir=" + j.dir() + " has "
            + sessions.size() + " sessions), got " + j.session());
      }
      chosen = j.session() - 1;
    } else {
      chosen = -1;
      for (int i = sessions.size() - 1; i >= 0; i--) {
        if (spanStart(sessions, i) < toMs && spanEnd(sessions, i, endOfJournal) >= fromMs) {
          chosen = i;
          break;
        }
      }
      if (chosen < 0) {
        throw new ExportException("no journal session in [" + instant(fromMs) + ", " + instant(toMs) + "): the journal dir="
            + j.dir() + " spans " + instant(sessions.get(0).startEpochMs()) + " to " + instant(endOfJournal));
      }
    }
    JournalSession s = sessions.get(chosen);
    NudaqConfig c = config != null ? config : sessionConfig(s);
    String cText = text != null ? text : s.configYaml();
    String description = "journal " + j.dir().toAbsolutePath().normalize() + " session " + (chosen + 1) + " of "
        + sessions.size() + " (started " + Instant.ofEpochMilli(s.startEpochMs()) + ")"
        + (j.from() != null || j.to() != null ? " frames in [" + instant(fromMs) + ", " + instant(toMs) + ")" : "");
    return new Plan(input, c, cText, s, chosen + 1, sessions.size(), spanStart(sessions, chosen),
        spanEnd(sessions, chosen, endOfJournal), fromMs, toMs, description);
  }

  private static NudaqConfig sessionConfig(JournalSession s) {
    try {
      return JournalReplay.sessionConfig(s);
    } catch (IllegalArgumentException e) {
      throw new ExportException(e.getMessage(), e);
    }
  }

  private static long spanStart(List<JournalSession> sessions, int i) {
    return sessions.get(i).startEpochMs();
  }

  private static long spanEnd(List<JournalSession> sessions, int i, long endOfJournal) {
    return i + 1 < sessions.size() ? sessions.get(i + 1).startEpochMs() : endOfJournal;
  }

  private static String instant(long ms) {
    return ms == Long.MIN_VALUE ? "-inf" : ms == Long.MAX_VALUE ? "+inf" : Instant.ofEpochMilli(ms).toString();
  }

  private Result write(Plan plan, Path tmp, Path target, long t0) throws IOException {
    List<EventPipeline.Source> sources = EventPipeline.sources(plan.config());
    String yaml = plan.configText();
    try (ExportWriter writer = format == ExportFormat.LH5 ? new Lh5Writer(tmp, deflate, partRows)
        : new ParquetWriter(tmp, partRows, sources, yaml)) {
      Tee tee = plan.session() == null ? null : new Tee();
      DoubleSupplier fraction = tee == null ? () -> Double.NaN
          : () -> (double) (tee.lastEpochMs - plan.spanStartMs()) / Math.max(1, plan.spanEndMs() - plan.spanStartMs());
      ExportProgress progress = progressOut == null ? ExportProgress.NONE : new ExportProgress(progressOut, fraction);
      EventCollector collector = new EventCollector(sources, writer, BATCH_ROWS, progress);
      PipelineSnapshot snapshot;
      boolean balances;
      List<ExportTables.RunRecord> runs = new ArrayList<>();
      if (tee == null) {
        CompassImport.Result r = new CompassImport(plan.config()).run(((CompassInput) plan.input()).dir(),
            ((CompassInput) plan.input()).options(), collector);
        snapshot = r.replay().snapshot();
        balances = r.replay().accountingBalances();
      } else {
        EventPipeline pipeline = new EventPipeline(plan.config(), collector);
        PipelineInputs inputs = new PipelineInputs(pipeline);
        tee.player = new JournalPlayer(inputs, plan.fromMs(), plan.toMs());
        tee.runs = runs;
        Path dir = ((JournalInput) plan.input()).dir();
        try (JournalReader reader = new JournalReader(dir)) {
          reader.moveTo(plan.session().startIndex());
          while (!tee.ended && reader.next(tee)) {
            // records of the session
          }
        }
        if (tee.player.frames() == 0 && (plan.fromMs() != Long.MIN_VALUE || plan.toMs() != Long.MAX_VALUE)) {
          throw new ExportException("journal session " + plan.sessionNumber() + " of dir=" + dir + " has no frames in ["
              + instant(plan.fromMs()) + ", " + instant(plan.toMs()) + ")");
        }
        inputs.finish();
        snapshot = pipeline.publish(Instant.ofEpochMilli(Math.max(tee.player.lastWallClockEpochMs(), plan.session().startEpochMs())));
        balances = pipeline.accountingBalances();
      }
      collector.flush();
      progress.done();
      writer.finish(new ExportTables(plan.description(), plan.config().source(), yaml, snapshot, sources, collector.reactor(),
          runs, collector.events()));
      return new Result(target, collector.events(), snapshot, balances, System.nanoTime() - t0, plan.description());
    }
  }

  /** Passes a session's records to the player and keeps its RUN records; stops at the session's end. */
  private static final class Tee implements JournalVisitor {
    JournalPlayer player;
    List<ExportTables.RunRecord> runs;
    boolean ended;
    private boolean started;
    volatile long lastEpochMs;

    @Override
    public void onSession(long index, long wallClockEpochMs, String configSource, String configYaml) {
      if (started) {
        ended = true;
        return;
      }
      started = true;
      lastEpochMs = wallClockEpochMs;
      player.onSession(index, wallClockEpochMs, configSource, configYaml);
    }

    @Override
    public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long framesLostBefore) {
      lastEpochMs = wallClockEpochMs;
      player.onFrame(index, wallClockEpochMs, boardId, data, length, framesLostBefore);
    }

    @Override
    public void onIdle(long index, long wallClockEpochMs, long wallClockNanos) {
      player.onIdle(index, wallClockEpochMs, wallClockNanos);
    }

    @Override
    public void onReactorState(long index, long wallClockEpochMs, org.nudaq.server.pipeline.ReactorState state,
        double powerFraction, long effectiveTimeNs) {
      player.onReactorState(index, wallClockEpochMs, state, powerFraction, effectiveTimeNs);
    }

    @Override
    public void onRun(long index, long wallClockEpochMs, boolean running, long runNumber) {
      runs.add(new ExportTables.RunRecord(wallClockEpochMs, running, runNumber));
    }

    @Override
    public void onClosed(long index, long wallClockEpochMs) {
      player.onClosed(index, wallClockEpochMs);
      ended = true;
    }
  }

  private static String reason(Throwable e) {
    String m = e.getMessage();
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
      if (c.getMessage() != null && (m == null || c.getMessage().contains("space"))) {
        m = c.getMessage();
      }
    }
    String s = (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: the directory's name still says it is partial
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
