package org.nudaq.server.compass;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One channel of a CoMPASS run being written, as one stream of records over its parts ({@code X.BIN},
 * then {@code X_1.BIN}, {@code X_2.BIN}, ... once CoMPASS splits it): {@link #next()} <b>waits</b> until
 * the next record is completely written, or until the channel is known to have ended (its last part
 * is complete: a later part exists, or the run is complete) — so what a {@link CompassFeed} makes of
 * the records never depends on when they were written. A format error ends its part (reported through
 * the follow, counted); the next part is read. The current record's place ({@link #part()},
 * {@link #recordOffset()}) is what the follow journals to resume from.
 *
 * <p>Single-threaded (the follow's thread).
 */
final class FollowedChannel extends CompassRecordSource {
  /** What the channel needs of the follow around it. */
  interface Context {
    /** Whether the run has ended (a later run folder exists, or its run.info has time.stop). */
    boolean runComplete();

    /** Waits a poll interval; throws {@link CompassFollow.Stopped} when the follow is closing. */
    void pause();

    /** A format error: logged and counted by the follow. */
    void formatError(CompassFormatException e);
  }

  private final Path dir;
  private final String base;
  private final String stem;
  private final String ext;
  private final boolean csv;
  private final Context context;
  private int part;
  private int layout;
  private boolean ended;
  /** The current part, or null between parts. */
  private GrowingCompassFile reader;
  private long startOffset;
  private int recordPart;
  private long recordOffset;

  /**
   * @param base     the first part's file name ({@code X.BIN})
   * @param part     the part to start in (0: the first)
   * @param offset   where the next record of that part starts (0: the part's start)
   * @param layout   the first part's layout for binary continuation parts (header flags,
   *                 {@link CompassGrowingBinary#HEADERLESS}), or {@link CompassGrowingBinary#FROM_HEADER} while unknown
   * @param ended    the channel had ended already (a resumed run)
   */
  FollowedChannel(Path dir, String base, int part, long offset, int layout, boolean ended, Context context) {
    super(dir.resolve(base));
    this.dir = dir;
    this.base = base;
    int dot = base.lastIndexOf('.');
    this.stem = dot < 0 ? base : base.substring(0, dot);
    this.ext = dot < 0 ? "" : base.substring(dot);
    this.csv = CompassFileChain.csv(Path.of(base));
    this.part = part;
    this.startOffset = offset;
    this.layout = layout;
    this.ended = ended;
    this.context = context;
  }

  private Path partPath(int k) {
    return dir.resolve(k == 0 ? base : stem + "_" + k + ext);
  }

  @Override
  public boolean next() {
    while (!ended) {
      if (reader != null && reader.next()) {
        take(); // the common case: a record is there (no file-system look-up per record)
        return true;
      }
      // Whether this part is complete, decided before looking for a record again: a record written
      // before the next part (or the run's end) appeared is then surely seen.
      boolean complete = Files.exists(partPath(part + 1)) || context.runComplete();
      if (reader == null && !open()) {
        if (complete) {
          ended = true; // the part never appeared
          return false;
        }
        context.pause();
        continue;
      }
      if (reader.next()) {
        take();
        return true;
      }
      CompassFormatException failure = reader.error();
      if (!complete) {
        context.pause();
        continue;
      }
      if (failure != null) {
        context.formatError(failure);
      } else if (reader.pendingBytes() > 0) {
        context.formatError(reader.truncated());
      }
      closeReader();
      if (Files.exists(partPath(part + 1))) {
        part++;
        startOffset = 0;
      } else {
        ended = true;
      }
    }
    return false;
  }

  /** Opens the current part at startOffset; false if it is not there yet. */
  private boolean open() {
    Path p = partPath(part);
    if (!Files.exists(p)) {
      return false;
    }
    try {
      if (csv) {
        reader = new CompassGrowingCsv(p, startOffset);
      } else {
        int l = part == 0 && startOffset == 0 ? CompassGrowingBinary.FROM_HEADER : layout;
        reader = new CompassGrowingBinary(p, l, startOffset);
      }
      return true;
    } catch (CompassFormatException e) {
      context.formatError(e);
      return false;
    }
  }

  private void take() {
    board = reader.board();
    channel = reader.channel();
    timestampPs = reader.timestampPs();
    energy = reader.energyAdc();
    flags = reader.flags();
    recordOffset = reader.recordOffset();
    if (part == 0 && reader instanceof CompassGrowingBinary binary) {
      layout = binary.layout();
    }
    recordPart = part;
    records++;
  }

  private void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  /** The first part's file name. */
  String base() {
    return base;
  }

  /** Whether the channel has ended (no current record). */
  boolean ended() {
    return ended;
  }

  /** The part of the current record. */
  int part() {
    return recordPart;
  }

  /** Where the current record starts in its part. */
  long recordOffset() {
    return recordOffset;
  }

  /** The first part's layout (binary), for continuation parts. */
  int layout() {
    return layout;
  }

  @Override
  public CompassFormatException error() {
    return null; // reported through the context as they happen
  }

  @Override
  public void close() {
    closeReader();
  }
}
