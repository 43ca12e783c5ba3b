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
import org.nudaq.monitor.wire.EventFlags;
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
 *
 * <p>Size: a little over the ~400-line rule: the reading and time merge of the files, the mapping of
 * records and the reactor/live-time inputs above are one loop over the merged records; the readers
 * ({@link CompassBinarySource}, {@link CompassCsvSource}) and {@link LiveTimeEstimate} are already their own classes.
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

  /** Records per time slab the slab width aims at (see {@link #run}). */
  private static final long SLAB_EVENTS = 4096;
  /** A file gives at most this many records per slab (a burst): well below the merge's ring capacity. */
  private static final int SLAB_FILE_MAX_RECORDS = 16_384;
  private static final long INITIAL_SLAB_PS = 1_000_000_000L; // 1 ms
  private static final long MIN_SLAB_PS = 1_000; // 1 ns

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

  /** The .BIN and .CSV files of a folder, sorted by name (run.info and settings are ignored). */
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

  /** Our flag bits for CoMPASS flags (fake records never get here). */
  private static int ourFlags(int cf) {
    int flags = 0;
    if ((cf & CompassDescriptor.FLAG_PILEUP) != 0) {
      flags |= EventFlags.PILEUP;
    }
    if ((cf & CompassDescriptor.FLAG_SATURATION) != 0) {
      flags |= EventFlags.SATURATION;
    }
    if ((cf & CompassDescriptor.FLAG_TIMESTAMP_RESET) != 0) {
      flags |= EventFlags.TIMESTAMP_RESET;
    }
    if ((cf & CompassDescriptor.FLAG_TIMESTAMP_ROLLOVER) != 0) {
      flags |= EventFlags.TIMESTAMP_ROLLOVER;
    }
    return flags;
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
    List<Path> paths = listFiles(dir);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no CoMPASS .BIN or .CSV files in " + dir);
    }
    CompassRunInfo runInfo = CompassRunInfo.of(dir);
    ReactorSchedule schedule = ReactorSchedule.of(options, runInfo);
    NudaqConfig pipelineConfig = config;
    if (schedule != null && config.gates().reactorStateSource() != GateConfig.ReactorStateSource.CONTROL) {
      GateConfig g = config.gates();
      pipelineConfig = config.withGates(new GateConfig(g.rejectPileup(), g.rejectSaturated(), GateConfig.ReactorStateSource.CONTROL,
          g.reactorMarginSeconds(), g.qualitySliceSeconds(), g.qualityBandHighKeV(), g.qualityMaxRatio(), g.mergeIdleTimeoutSeconds()));
    }
    EventPipeline pipeline = fates == null ? new EventPipeline(pipelineConfig) : new EventPipeline(pipelineConfig, fates);
    int maxBoard = 0;
    for (BoardConfig b : config.digitizer().boards()) {
      maxBoard = Math.max(maxBoard, b.id());
    }
    long[] tickPs = new long[maxBoard + 1];
    for (BoardConfig b : config.digitizer().boards()) {
      tickPs[b.id()] = Math.round(b.tickNs() * 1000);
      pipeline.onHello(b.id(), tickPs[b.id()]);
    }
    PsToTicks ticks = new PsToTicks(tickPs);
    // CoMPASS (board, channel) → ours, as a flat table: the lookup per record is an array index.
    int[] map = new int[1 << 16];
    java.util.Arrays.fill(map, -1);
    // Our mapped channels by index (the dead-time model counts saved events per channel).
    List<CompassConfig.ChannelMapping> mappings = config.compass().channels();
    int[] targetOf = new int[1 << 16];
    for (int k = 0; k < mappings.size(); k++) {
      CompassConfig.ChannelMapping m = mappings.get(k);
      if (m.board() < 256 && m.channel() < 256) {
        map[(m.board() << 8) | m.channel()] = (m.toBoard() << 16) | m.toChannel();
        targetOf[(m.board() << 8) | m.channel()] = k;
      }
    }
    DeadTimeModel dead = new DeadTimeModel(pipeline, mappings, tickPs, ticks, config.compass().deadTimePerEventNs());
    long[] saved = dead.saved;
    long[] triggerFlags = new long[paths.size()];
    int n = paths.size();
    CompassSource[] sources = new CompassSource[n];
    boolean[] live = new boolean[n];
    long[] fake = new long[n];
    long[] unmapped = new long[n];
    String[] errors = new String[n];
    long t0 = System.nanoTime();
    long events = 0;
    String realSource = null;
    long realTimeNs = 0;
    try {
      for (int i = 0; i < n; i++) {
        try {
          sources[i] = open(paths.get(i));
          live[i] = sources[i].next();
          if (!live[i] && sources[i].error() != null) {
            errors[i] = sources[i].error().getMessage();
          }
        } catch (CompassFormatException e) {
          errors[i] = e.getMessage();
        }
      }
      // Time slabs: every file in turn gives its records before the slab's end, as one aggregate (one
      // batch) per file, and the pipeline's time-ordered merge interleaves them, exactly as it does
      // the per-channel aggregates of a live board. All files reach the slab's end before the next
      // slab, so no board runs ahead of another by more than a slab (the merge's data-time idle rule)
      // and the merge's rings hold about a slab's records. The width adapts to ~SLAB_EVENTS records.
      long[] headPs = new long[n];
      for (int i = 0; i < n; i++) {
        if (live[i]) {
          headPs[i] = sources[i].timestampPs();
        }
      }
      long lastPs = -1;
      long widthPs = INITIAL_SLAB_PS;
      long maxWidthPs = Math.max(MIN_SLAB_PS, Math.round(config.gates().mergeIdleTimeoutSeconds() * 1e12 / 4));
      while (true) {
        long startPs = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
          if (live[i] && headPs[i] < startPs) {
            startPs = headPs[i];
          }
        }
        if (startPs == Long.MAX_VALUE) {
          break;
        }
        long endPs = startPs > Long.MAX_VALUE - widthPs ? Long.MAX_VALUE : startPs + widthPs;
        if (schedule != null) {
          schedule.feedBefore(pipeline, endPs);
        }
        long fed = 0;
        for (int i = 0; i < n; i++) {
          if (!live[i] || headPs[i] >= endPs) {
            continue;
          }
          CompassSource s = sources[i];
          long ts = headPs[i];
          int batchBoard = -1;
          int count = 0;
          boolean more;
          do {
            int cf = s.flags();
            int b = s.board();
            int c = s.channel();
            int key = (b | c) < 256 ? map[(b << 8) | c] : -1;
            if ((cf & CompassDescriptor.FLAG_TRIGGERS_1024) != 0) {
              triggerFlags[i]++;
            }
            if ((cf & CompassDescriptor.FAKE_MASK) != 0) {
              fake[i]++;
            } else if (key < 0) {
              unmapped[i]++;
            } else {
              int board = key >>> 16;
              if (board != batchBoard) {
                if (batchBoard >= 0) {
                  pipeline.endBatch();
                }
                pipeline.beginBoardFrame(board);
                batchBoard = board;
              }
              pipeline.onBoardFrameEvent(key & 0xFFFF, ticks.of(board, ts), s.energyAdc(), ourFlags(cf), 0);
              saved[targetOf[(b << 8) | c]]++;
              events++;
            }
            count++;
            if (ts > lastPs) {
              lastPs = ts;
            }
            more = s.next();
            if (!more) {
              if (s.error() != null) {
                errors[i] = s.error().getMessage();
              }
              break;
            }
            ts = s.timestampPs();
          } while (ts < endPs && count < SLAB_FILE_MAX_RECORDS);
          if (batchBoard >= 0) {
            pipeline.endBatch();
          }
          if (more && ts < endPs) {
            endPs = ts; // a burst: the files after this one stop where it stopped
          }
          live[i] = more;
          headPs[i] = ts;
          fed += count;
        }
        // Every file gave its records before endPs: a status frame per board books the live time up
        // to just after the last record so far, or to the oldest record not given yet if that is older
        // (so it is a valid watermark, as a live board's status is; not endPs itself, which can lie
        // after the run's end).
        long statusPs = lastPs + 1;
        for (int i = 0; i < n; i++) {
          if (live[i] && headPs[i] < statusPs) {
            statusPs = headPs[i]; // a file stopped by a burst: its next record may be older than lastPs
          }
        }
        if (lastPs >= 0) {
          dead.status(statusPs);
        }
        // Adapt the width to ~SLAB_EVENTS records, by at most ×4 per slab.
        long next = fed == 0 ? widthPs * 4 : Math.max(widthPs / 4, Math.min(widthPs * 4, widthPs / fed * SLAB_EVENTS));
        widthPs = Math.max(MIN_SLAB_PS, Math.min(maxWidthPs, next));
      }
      // The run's real time: run.info's stop − start, else a timed run's length (settings), else the
      // time stamps' span (to just after the last record: the time after it is unknown).
      long spanNs = lastPs < 0 ? 0 : lastPs / 1000 + 1;
      long realNs;
      if (runInfo.runInfoDurationNs() > 0) {
        realNs = runInfo.runInfoDurationNs();
        realSource = "run.info time.stop - time.start (" + runInfo.runInfo() + ")";
      } else if (runInfo.timedRunDurationNs() > 0) {
        realNs = runInfo.timedRunDurationNs();
        realSource = "timed run length in the settings (" + runInfo.settings() + ")";
      } else {
        realNs = spanNs;
        realSource = "time stamps from the run start to the last record";
      }
      if (realNs < spanNs) {
        realSource += "; shorter than the last time stamp, extended to it";
        realNs = spanNs;
      }
      if (schedule != null) {
        schedule.feedBefore(pipeline, realNs * 1000);
      }
      dead.status(realNs * 1000);
      realTimeNs = realNs;
      pipeline.finish();
    } finally {
      for (CompassSource s : sources) {
        if (s != null) {
          s.close();
        }
      }
    }
    long elapsed = System.nanoTime() - t0;
    List<FileResult> files = new ArrayList<>();
    long errorCount = 0;
    for (int i = 0; i < n; i++) {
      files.add(new FileResult(paths.get(i), sources[i] == null ? 0 : sources[i].records(), fake[i], unmapped[i], errors[i]));
      if (errors[i] != null) {
        errorCount++;
      }
    }
    ReplayResult replay = new ReplayResult(config, pipeline.publish(Instant.ofEpochSecond(0)), pipeline.accountingBalances(),
        0, events, 0, errorCount, elapsed);
    double tau = config.compass().deadTimePerEventNs();
    String deadMethod = tau > 0
        ? "dead-time model: " + tau + " ns per saved event (non-paralysable), compass.deadTimePerEventNs"
        : "none: no dead time known (compass.deadTimePerEventNs = 0), live time = real time";
    List<Long> flags = new ArrayList<>();
    for (long f : triggerFlags) {
      flags.add(f);
    }
    LiveTimeEstimate liveTime = new LiveTimeEstimate(realSource, realTimeNs * 1e-9, deadMethod, tau, flags, runInfo.problem());
    return new Result(replay, files, liveTime, schedule == null ? "none (events gated REACTOR_UNKNOWN unless the configuration sets it)"
        : schedule.description());
  }
}
