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

  /**
   * Records go to the pipeline in batches of up to this many records of one board
   * ({@link EventPipeline#onEventsBegin(int)}): they arrive merged in time order, so the pipeline's
   * merge drains once per batch instead of per record, with the same result.
   */
  private static final int BATCH_EVENTS = 1024;

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
    List<Path> paths = listFiles(dir);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no CoMPASS .BIN or .CSV files in dir=" + dir);
    }
    EventPipeline pipeline = new EventPipeline(config);
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
      int batchBoard = -1;
      int inBatch = 0;
      while (true) {
        // The file with the oldest record, and the runner-up: the best file's records go in one run
        // until the runner-up's is older (ties to the lower file index), instead of a scan per record.
        int best = -1;
        long bestTs = Long.MAX_VALUE;
        int second = -1;
        long secondTs = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
          if (live[i]) {
            long ts = sources[i].timestampPs();
            if (best < 0 || ts < bestTs) {
              second = best;
              secondTs = bestTs;
              best = i;
              bestTs = ts;
            } else if (second < 0 || ts < secondTs) {
              second = i;
              secondTs = ts;
            }
          }
        }
        if (best < 0) {
          break;
        }
        CompassSource s = sources[best];
        long ts = bestTs;
        do {
          int cf = s.flags();
          int key = s.board() < 256 && s.channel() < 256 ? map[(s.board() << 8) | s.channel()] : -1;
          if ((cf & CompassDescriptor.FAKE_MASK) != 0) {
            fake[best]++;
          } else if (key < 0) {
            unmapped[best]++;
          } else {
            int board = key >>> 16;
            if (board != batchBoard || inBatch == BATCH_EVENTS) {
              if (batchBoard >= 0) {
                pipeline.onEventsEnd();
              }
              pipeline.onEventsBegin(board);
              batchBoard = board;
              inBatch = 0;
            }
            pipeline.onFrameEvent(key & 0xFFFF, ticks.of(board, ts), s.energyAdc(), ourFlags(cf), 0);
            inBatch++;
            events++;
          }
          live[best] = s.next();
          if (!live[best]) {
            if (s.error() != null) {
              errors[best] = s.error().getMessage();
            }
            break;
          }
          ts = s.timestampPs();
        } while (second < 0 || ts < secondTs || (ts == secondTs && best < second));
      }
      if (batchBoard >= 0) {
        pipeline.onEventsEnd();
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
