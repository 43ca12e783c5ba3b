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
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.server.pipeline.EventFateSink;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.replay.ReplayResult;

/**
 * Replays a folder of CAEN CoMPASS list files (one per channel, .BIN or .CSV) through the pipeline:
 * the files are merged by time stamp, each record's CoMPASS (board, channel) is mapped to one of our
 * channels by {@code compass.channels}, its picosecond time stamp becomes board ticks, its flags ours
 * (pile-up, saturation, time-stamp reset/roll-over); fake events are counted and skipped. A file with
 * a format error is read up to the error, which is counted and reported with its offset: never a
 * crash. CoMPASS files carry no live time, so live times stay 0 and the accounting is the result.
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

  /** The pipeline result and the per-file accounting. */
  public record Result(ReplayResult replay, List<FileResult> files) {
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
      throw new IllegalArgumentException("cannot list the CoMPASS folder dir=" + dir + ": " + e.getMessage(), e);
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

  /** Imports every list file of {@code dir}. */
  public Result run(Path dir) {
    return run(dir, null);
  }

  /**
   * Imports every list file of {@code dir}, telling {@code fates} (if not null) every event's fate
   * (for an export, {@link EventFateSink}).
   */
  public Result run(Path dir, EventFateSink fates) {
    List<Path> paths = listFiles(dir);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no CoMPASS .BIN or .CSV files in dir=" + dir);
    }
    EventPipeline pipeline = fates == null ? new EventPipeline(config) : new EventPipeline(config, fates);
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
    for (CompassConfig.ChannelMapping m : config.compass().channels()) {
      if (m.board() < 256 && m.channel() < 256) {
        map[(m.board() << 8) | m.channel()] = (m.toBoard() << 16) | m.toChannel();
      }
    }
    int n = paths.size();
    CompassSource[] sources = new CompassSource[n];
    boolean[] live = new boolean[n];
    long[] fake = new long[n];
    long[] unmapped = new long[n];
    String[] errors = new String[n];
    long t0 = System.nanoTime();
    long events = 0;
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
            if ((cf & CompassDescriptor.FAKE_MASK) != 0) {
              fake[i]++;
            } else if (key < 0) {
              unmapped[i]++;
            } else {
              int board = key >>> 16;
              if (board != batchBoard) {
                if (batchBoard >= 0) {
                  pipeline.onEventsEnd();
                }
                pipeline.onEventsBegin(board);
                batchBoard = board;
              }
              pipeline.onFrameEvent(key & 0xFFFF, ticks.of(board, ts), s.energyAdc(), ourFlags(cf), 0);
              events++;
            }
            count++;
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
            pipeline.onEventsEnd();
          }
          if (more && ts < endPs) {
            endPs = ts; // a burst: the files after this one stop where it stopped
          }
          live[i] = more;
          headPs[i] = ts;
          fed += count;
        }
        // Adapt the width to ~SLAB_EVENTS records, by at most ×4 per slab.
        long next = fed == 0 ? widthPs * 4 : Math.max(widthPs / 4, Math.min(widthPs * 4, widthPs / fed * SLAB_EVENTS));
        widthPs = Math.max(MIN_SLAB_PS, Math.min(maxWidthPs, next));
      }
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
    return new Result(replay, files);
  }
}
