package org.nudaq.server.compass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.pipeline.EventFateSink;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.reactor.ReactorTransition;
import org.nudaq.server.replay.ReplayResult;

/**
 * Replays a folder of CAEN CoMPASS list files (one per channel, .BIN or .CSV) through the pipeline:
 * the files are merged by time stamp, each record's CoMPASS (board, channel) is mapped to one of our
 * channels by {@code compass.channels}, its picosecond time stamp becomes board ticks, its flags ours
 * (pile-up, saturation, time-stamp reset/roll-over); fake events are counted and skipped. A file with
 * a format error is read up to the error, which is counted and reported with its offset: never a
 * crash.
 *
 * <p><b>Reactor state.</b> List files carry none. With {@link Options#reactor} (one state for the
 * whole folder) or {@link Options#timeline} (the plant's transitions) the import sets it through the
 * control path of the pipeline (gates.reactorStateSource is taken as {@code control}): a record's
 * instant is the run start plus its time stamp (CoMPASS time stamps count from the run start), the
 * run start from {@link Options#runStart} or else run.info's {@code time.start}.
 *
 * <p><b>Live time.</b> List files record no real, live or dead time either. The import estimates
 * them (see {@link LiveTimeEstimate}) and gives them to the pipeline as status frames at the end of
 * every time slab and at the end of the run (real time = data time since the run start; dead time =
 * the configured dead time per saved event × the channel's saved events so far), so live time is
 * booked per reactor state exactly as for a live board.
 *
 * <p>Single-threaded; one instance per import.
 */
public final class CompassImport {

  /**
   * What one file gave.
   *
   * @param file     the file
   * @param records  records read
   * @param fake     fake events skipped (flags 0x8, 0x80000, 0x100000, 0x200000)
   * @param unmapped records of a CoMPASS channel not in compass.channels, skipped
   * @param error    the format error that ended it early, or null
   */
  public record FileResult(Path file, long records, long fake, long unmapped, String error) {}

  /**
   * How the reactor state of the folder is known: one state for all of it, the plant's timeline, or
   * neither (then events are gated REACTOR_UNKNOWN unless the configuration says otherwise).
   *
   * @param reactor  one state for the whole folder, or null
   * @param timeline the transitions of a reactor timeline file, or empty
   * @param runStart the instant of CoMPASS time stamp 0, or null to take it from run.info
   */
  public record Options(ReactorState reactor, List<ReactorTransition> timeline, Instant runStart) {
    /** No reactor state given. */
    public static final Options NONE = new Options(null, List.of(), null);

    public Options {
      timeline = List.copyOf(timeline);
      if (reactor != null && !timeline.isEmpty()) {
        throw new IllegalArgumentException("give either one reactor state for the folder or a reactor timeline, not both");
      }
    }

    /**
     * The options of the command-line flags {@code --reactor on|off}, {@code --reactor-timeline FILE} and
     * {@code --run-start T} (each may be null), shared by {@code nudaq replay} and {@code nudaq export}.
     *
     * @throws IllegalArgumentException for both flags at once, a bad state or an empty timeline; a bad
     *     timeline line throws {@link org.nudaq.server.reactor.ReactorTimelineException} naming file and line
     */
    public static Options fromFlags(String reactor, Path timelineFile, Instant runStart, double nominalPowerMW) {
      if (reactor != null && timelineFile != null) {
        throw new IllegalArgumentException("give --reactor or --reactor-timeline, not both");
      }
      if (reactor != null) {
        ReactorState state = switch (reactor.toLowerCase(Locale.ROOT)) {
          case "on" -> ReactorState.ON;
          case "off" -> ReactorState.OFF;
          default -> throw new IllegalArgumentException("--reactor must be on or off, got '" + reactor + "'");
        };
        return new Options(state, List.of(), runStart);
      }
      if (timelineFile != null) {
        List<ReactorTransition> t = org.nudaq.server.reactor.ReactorTimelineFile.readAll(timelineFile, nominalPowerMW);
        if (t.isEmpty()) {
          throw new IllegalArgumentException("reactor timeline " + timelineFile + ": no transitions");
        }
        return new Options(null, t, runStart);
      }
      return new Options(null, List.of(), runStart);
    }
  }

  /**
   * How the live time was estimated (list files record none): named in the run summary.
   *
   * @param realTimeSource      where the real time comes from
   * @param realTimeSeconds     the run's real time, s
   * @param deadTimeMethod      how dead time was estimated
   * @param deadTimePerEventNs  the dead time per saved event used, ns
   * @param triggerCounterFlags per file: records flagged 0x100 ("1024 triggers counted" — a count of
   *                            triggers ≥ 1024 × this number, for a cross-check of the saved fraction)
   * @param runFileProblem      what could not be read in run.info or the settings (left out), or null
   */
  public record LiveTimeEstimate(String realTimeSource, double realTimeSeconds, String deadTimeMethod,
      double deadTimePerEventNs, List<Long> triggerCounterFlags, String runFileProblem) {
    /** Always true: list files carry no measured live time. */
    public boolean estimated() {
      return true;
    }
  }

  /** The pipeline result and the per-file accounting. */
  public record Result(ReplayResult replay, List<FileResult> files, LiveTimeEstimate liveTime, String reactorSource) {
    public long formatErrors() {
      return files.stream().filter(f -> f.error() != null).count();
    }
  }

  private final NudaqConfig config;

  /** @throws IllegalArgumentException if compass.channels maps to a channel the digitizer section does not have */
  public CompassImport(NudaqConfig config) {
    List<CompassConfig.ChannelMapping> map = config.compass().channels();
    for (int i = 0; i < map.size(); i++) {
      CompassConfig.ChannelMapping m = map.get(i);
      if (!CompassConfig.configured(config.digitizer(), m.toBoard(), m.toChannel())) {
        throw new IllegalArgumentException(config.source() + ": compass.channels[" + i + "]: board " + m.toBoard() + " channel "
            + m.toChannel() + " is not a configured digitizer channel");
      }
    }
    this.config = config;
  }

  /** The .BIN and .CSV files of a folder, sorted by name (run.info and settings.xml are not list files: {@link CompassRunInfo} reads them). */
  public static List<Path> listFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".bin") || n.endsWith(".csv");
      }).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list the CoMPASS folder " + org.nudaq.monitor.cli.CommandLines.describe(e), e);
    }
  }

  /** Opens a file by its extension. */
  public static CompassSource open(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
        ? new CompassCsvSource(file) : new CompassBinarySource(file);
  }

  /** Imports every list file of {@code dir} without a reactor state. */
  public Result run(Path dir) {
    return run(dir, Options.NONE, null);
  }

  /** Imports every list file of {@code dir} with the reactor state of {@code options}. */
  public Result run(Path dir, Options options) {
    return run(dir, options, null);
  }

  /**
   * Imports every list file of {@code dir} with the reactor state of {@code options}, telling
   * {@code fates} (if not null) every event's fate (for an export, {@link EventFateSink}).
   */
  public Result run(Path dir, Options options, EventFateSink fates) {
    List<Path> runs = runFolders(dir);
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no CoMPASS .BIN or .CSV files in " + dir + " (nor in run folders under it)");
    }
    CompassRunInfo firstRunInfo = CompassRunInfo.of(runs.get(0));
    ReactorSchedule schedule = ReactorSchedule.of(options, firstRunInfo);
    EventPipeline pipeline = fates == null ? new EventPipeline(pipelineConfig(config, schedule != null))
        : new EventPipeline(pipelineConfig(config, schedule != null), fates);
    for (BoardConfig b : config.digitizer().boards()) {
      pipeline.onHello(b.id(), Math.round(b.tickNs() * 1000));
    }
    CompassFeed feed = new CompassFeed(config, CompassInputs.of(pipeline), schedule);
    List<FileResult> files = new ArrayList<>();
    List<Long> triggerFlags = new ArrayList<>();
    long t0 = System.nanoTime();
    long errorCount = 0;
    long offsetNs = 0;
    long realTimeNs = 0;
    String realSource = null;
    String problem = null;
    for (Path run : runs) {
      CompassRunInfo runInfo = run == runs.get(0) ? firstRunInfo : CompassRunInfo.of(run);
      CompassFileChain[] sources = CompassFileChain.ofRun(run);
      try {
        startRun(feed, sources, offsetNs, run);
        while (feed.slab()) {
          // one slab at a time until every file of the run has ended
        }
        long runNs = finishRun(feed, runInfo, run);
        offsetNs = feed.nextOffsetNs(runNs); // fits: finishRun checked the run's end
        realTimeNs += runNs;
        realSource = realSource == null ? feed.realTimeSource() : realSource + "; " + feed.realTimeSource();
        if (runInfo.problem() != null) {
          problem = runInfo.problem();
        }
      } finally {
        for (CompassFileChain c : sources) {
          c.close();
        }
      }
      for (int i = 0; i < sources.length; i++) {
        List<String> errors = sources[i].errors();
        files.add(new FileResult(sources[i].file(), sources[i].records(), feed.fake(i), feed.unmapped(i),
            errors.isEmpty() ? null : String.join("; ", errors)));
        errorCount += errors.isEmpty() ? 0 : 1;
        triggerFlags.add(feed.triggerFlags(i));
      }
    }
    pipeline.finish();
    return result(config, pipeline, feed.events(), System.nanoTime() - t0, files, errorCount, triggerFlags,
        runs.size() > 1 ? runs.size() + " runs, each: " + realSource : realSource, realTimeNs, problem, schedule);
  }

  /** Starts feeding a run at {@code offsetNs}; a base beyond a long of ticks is a one-line error naming the run. */
  private static void startRun(CompassFeed feed, CompassFileChain[] sources, long offsetNs, Path run) {
    try {
      feed.startRun(sources, offsetNs, CompassFeed.INITIAL_SLAB_PS, -1);
    } catch (ArithmeticException e) {
      throw timeBaseOverflow(run, offsetNs, 0);
    }
  }

  /** Ends a run; an end beyond a long of ns of data time is a one-line error naming the run. */
  private static long finishRun(CompassFeed feed, CompassRunInfo runInfo, Path run) {
    try {
      return feed.finishRun(runInfo);
    } catch (ArithmeticException e) {
      throw timeBaseOverflow(run, feed.offsetNs(), runInfo.runInfoDurationNs());
    }
  }

  /**
   * The error of a run whose data time does not fit the pipeline's (a long of ns, 292 years; of ticks for a
   * tick below 1 ns): in practice a run.info whose time.stop is centuries after its time.start.
   */
  static IllegalArgumentException timeBaseOverflow(Path run, long offsetNs, long runInfoNs) {
    return new IllegalArgumentException(String.format(Locale.ROOT,
        "CoMPASS run %s: its data time overflows (the runs before it sum to %.1f days%s; a long of ns holds 292 years):"
            + " check its run.info time.start and time.stop", run, offsetNs / 86_400e9,
        runInfoNs > 0 ? String.format(Locale.ROOT, ", its run.info says %.1f days", runInfoNs / 86_400e9) : ""));
  }

  /**
   * The result of an import whose pipeline has finished (also {@link SegmentedCompassImport}'s, from
   * the joined pipeline).
   */
  static Result result(NudaqConfig config, EventPipeline pipeline, long events, long elapsedNs, List<FileResult> files, long errorCount,
      List<Long> triggerFlags, String realSource, long realTimeNs, String problem, ReactorSchedule schedule) {
    ReplayResult replay = new ReplayResult(config, pipeline.publish(Instant.ofEpochSecond(0)), pipeline.accountingBalances(),
        0, events, 0, errorCount, elapsedNs);
    double tau = config.compass().deadTimePerEventNs();
    String deadMethod = tau > 0
        ? "dead-time model: " + tau + " ns per saved event (non-paralysable), compass.deadTimePerEventNs"
        : "none: no dead time known (compass.deadTimePerEventNs = 0), live time = real time";
    LiveTimeEstimate liveTime = new LiveTimeEstimate(realSource, realTimeNs * 1e-9, deadMethod, tau, triggerFlags, problem);
    return new Result(replay, files, liveTime, schedule == null ? "none (events gated REACTOR_UNKNOWN unless the configuration sets it)"
        : schedule.description());
  }

  /**
   * The configuration the pipeline of a CoMPASS feed runs with: with a reactor state given by the
   * command line (or the follow's {@code reactor}), gates.reactorStateSource is taken as control.
   */
  static NudaqConfig pipelineConfig(NudaqConfig config, boolean reactorGiven) {
    if (!reactorGiven || config.gates().reactorStateSource() == GateConfig.ReactorStateSource.CONTROL) {
      return config;
    }
    GateConfig g = config.gates();
    return config.withGates(new GateConfig(g.rejectPileup(), g.rejectSaturated(), GateConfig.ReactorStateSource.CONTROL,
        g.reactorMarginSeconds(), g.qualitySliceSeconds(), g.qualityBandHighKeV(), g.qualityMaxRatio(), g.mergeIdleTimeoutSeconds()));
  }

  /**
   * The runs under {@code dir}: {@code dir} itself if it holds list files, else every sub-folder
   * holding list files (itself or in its {@code RAW/} folder, as CoMPASS writes them), in natural
   * name order ({@code run_2} before {@code run_10}). Each run's time stamps start at 0; they are fed
   * one after the other (see {@link CompassFeed}).
   */
  public static List<Path> runFolders(Path dir) {
    if (!listFiles(dir).isEmpty()) {
      return List.of(dir);
    }
    List<Path> subs;
    try (Stream<Path> s = Files.list(dir)) {
      subs = s.filter(Files::isDirectory).sorted((a, b) -> naturalCompare(a.getFileName().toString(), b.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list the CoMPASS folder " + org.nudaq.monitor.cli.CommandLines.describe(e), e);
    }
    List<Path> runs = new ArrayList<>();
    for (Path sub : subs) {
      Path raw = sub.resolve("RAW");
      if (!listFiles(sub).isEmpty()) {
        runs.add(sub);
      } else if (Files.isDirectory(raw) && !listFiles(raw).isEmpty()) {
        runs.add(raw);
      }
    }
    return runs;
  }

  /** Names compared with their digit runs as numbers ({@code run_2} &lt; {@code run_10}). */
  static int naturalCompare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
