package org.nudaq.server.compass;

import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.EventFlags;

/**
 * The one way CoMPASS channel files become pipeline inputs, shared by the import of a finished run
 * folder ({@link CompassImport}) and the live follow of a folder CoMPASS is writing
 * ({@link CompassFollow}), so both give the pipeline the same calls in the same order: the same
 * spectra, bit for bit.
 *
 * <p><b>Time slabs.</b> Every channel file in turn gives its records before the slab's end, as one
 * batch per file, and the pipeline's time-ordered merge interleaves them, exactly as it does the
 * per-channel aggregates of a live board. All files reach the slab's end before the next slab, so no
 * board runs ahead of another by more than a slab (the merge's data-time idle rule) and the merge's
 * rings hold about a slab's records. The width adapts to ~{@link #SLAB_EVENTS} records. After each
 * slab a status frame per board books the estimated live time ({@link DeadTimeModel}) and serves as
 * the boards' watermark. What a slab does depends only on the records, never on when they became
 * readable: a followed file's {@link CompassSource#next()} waits until its next record is written or
 * the file is known to be complete.
 *
 * <p><b>Runs.</b> Each CoMPASS run's time stamps start at 0. Run k is fed at the time base
 * {@code offsetNs} = the sum of the real times of the runs before it (run.info stop − start, else
 * the timed run length, else the span of the records), so data time keeps rising across runs. The base
 * is kept in ns and each board's ticks ({@link CompassTimeBase}), never summed with a time stamp in ps:
 * years of runs fit (292), where ps would overflow after ~106.7 days.
 *
 * <p><b>Bulk reads.</b> Within a file's share of a slab the records after the first are read in bulk
 * where the source can ({@link CompassSource#nextRecords}: a binary file of records of one length,
 * issue 19) and one by one elsewhere; the pipeline gets the same calls in the same order either way.
 * The feed reads the bulk records' fields straight from the bytes the source copied
 * ({@link CompassRecordColumns}) and, in the same pass, makes the events of a board frame the columns
 * {@link CompassInputs#onBoardFrameEvents} takes (our channel, board ticks of data time, energy and our
 * flags as the merge's payload), at most {@link CompassRecordColumns#CAPACITY} at a time: the pipeline
 * offers them to its merge a run of one channel at a time, as it does a journal's frames (same calls as
 * one {@code onBoardFrameEvent} each, in order; the live follow's frames are built event by event).
 *
 * <p>Single-threaded. Allocation-free per record.
 */
final class CompassFeed {
  /** Records per time slab the slab width aims at. */
  static final long SLAB_EVENTS = 4096;
  /** A file gives at most this many records per slab (a burst): well below the merge's ring capacity. */
  static final int SLAB_FILE_MAX_RECORDS = 16_384;
  static final long INITIAL_SLAB_PS = 1_000_000_000L; // 1 ms
  static final long MIN_SLAB_PS = 1_000; // 1 ns

  private final CompassInputs out;
  private final ReactorSchedule schedule;
  private final DeadTimeModel dead;
  private final PsToTicks ticks;
  /** The run's base: its time stamps (ps since its start) to each board's ticks of data time. */
  private final CompassTimeBase base;
  /** CoMPASS (board << 8 | channel) → (our board << 16 | our channel), or −1. */
  private final int[] map = new int[1 << 16];
  /** CoMPASS (board << 8 | channel) → index in compass.channels (the dead-time model's counters). */
  private final int[] targetOf = new int[1 << 16];
  private final long maxWidthPs;
  /**
   * The records being fed: those a source reads in bulk ({@link CompassSource#nextRecords}), or its current
   * record alone (record 0, {@link CompassRecordColumns#set}). Reused slab after slab.
   */
  private final CompassRecordColumns columns = new CompassRecordColumns();
  /**
   * The events of {@link #columns} being given to one board frame, as {@link CompassInputs#onBoardFrameEvents}
   * takes them: our channel, board ticks of data time, energy and our flags (one payload column). Reused.
   */
  private final int[] eventChannel = new int[CompassRecordColumns.CAPACITY];
  private final long[] eventTicks = new long[CompassRecordColumns.CAPACITY];
  /** Energy (ADC channels) in the low, our flags in the high 32 bits: the merge's payload, made here once. */
  private final long[] eventPayload = new long[CompassRecordColumns.CAPACITY];
  /** The board whose frame is open while a file's records of a slab are fed (−1: none). */
  private int batchBoard = -1;

  // The run being fed.
  private CompassSource[] sources = new CompassSource[0];
  private boolean[] live = new boolean[0];
  private long[] headPs = new long[0];
  private long[] fake = new long[0];
  private long[] unmapped = new long[0];
  private long[] triggerFlags = new long[0];
  private long lastPs = -1;
  private long widthPs = INITIAL_SLAB_PS;
  /** Data time of the last status given in this run (−1: none), ps since the run's time stamp 0. */
  private long lastStatusPs = -1;
  /** The status time never goes below this in this run (−1: no floor): set when a source joins late. */
  private long statusFloorPs = -1;
  private long events;
  private String realTimeSource;

  /**
   * @param schedule the reactor state to give, or null
   * @throws IllegalArgumentException if compass.channels maps to a channel the digitizer section does not have
   */
  CompassFeed(NudaqConfig config, CompassInputs out, ReactorSchedule schedule) {
    this.out = out;
    this.schedule = schedule;
    int maxBoard = 0;
    for (BoardConfig b : config.digitizer().boards()) {
      maxBoard = Math.max(maxBoard, b.id());
    }
    long[] tickPs = new long[maxBoard + 1];
    for (BoardConfig b : config.digitizer().boards()) {
      tickPs[b.id()] = Math.round(b.tickNs() * 1000);
    }
    ticks = new PsToTicks(tickPs);
    base = new CompassTimeBase(tickPs, ticks);
    java.util.Arrays.fill(map, -1);
    List<CompassConfig.ChannelMapping> mappings = config.compass().channels();
    for (int k = 0; k < mappings.size(); k++) {
      CompassConfig.ChannelMapping m = mappings.get(k);
      if (!CompassConfig.configured(config.digitizer(), m.toBoard(), m.toChannel())) {
        throw new IllegalArgumentException(config.source() + ": compass.channels[" + k + "]: board " + m.toBoard() + " channel "
            + m.toChannel() + " is not a configured digitizer channel");
      }
      if (m.board() < 256 && m.channel() < 256) {
        map[(m.board() << 8) | m.channel()] = (m.toBoard() << 16) | m.toChannel();
        targetOf[(m.board() << 8) | m.channel()] = k;
      }
    }
    dead = new DeadTimeModel(out, mappings, tickPs, base, config.compass().deadTimePerEventNs());
    maxWidthPs = maxWidthPs(config);
  }

  /** The widest slab, ps: a quarter of the merge's idle timeout (so no board looks idle within a slab). */
  static long maxWidthPs(NudaqConfig config) {
    return Math.max(MIN_SLAB_PS, Math.round(config.gates().mergeIdleTimeoutSeconds() * 1e12 / 4));
  }

  /**
   * Starts feeding a run: reads each source's first record (a followed file waits for it).
   *
   * @param offsetNs the run's time base (data time of its time stamp 0, ≥ 0), ns
   * @param widthPs  the slab width to start with (a resumed run: the one saved), ps
   * @param lastPs   the newest time stamp already fed of this run (−1: none), ps
   * @throws ArithmeticException if a board's tick count of the base does not fit a long (nothing read then)
   */
  void startRun(CompassSource[] runSources, long offsetNs, long widthPs, long lastPs) {
    base.start(offsetNs);
    int n = runSources.length;
    sources = runSources;
    live = new boolean[n];
    headPs = new long[n];
    fake = new long[n];
    unmapped = new long[n];
    triggerFlags = new long[n];
    this.widthPs = widthPs;
    this.lastPs = lastPs;
    this.statusFloorPs = -1;
    for (int i = 0; i < n; i++) {
      live[i] = sources[i].next();
      if (live[i]) {
        headPs[i] = sources[i].timestampPs();
      }
    }
    // A resumed run: the status the last slab gave (what it computed from these same records).
    this.lastStatusPs = lastPs >= 0 ? statusTimePs() : -1;
  }

  /**
   * Adds a source to the run being fed, between two slabs: a channel file of a followed run that
   * appeared after the run had started ({@link CompassFollow}). Its first record is read (a followed
   * file waits for it); from the next slab on it is fed like the others. Its records older than what
   * was fed already reach the pipeline's merge late; the status frames (the boards' watermarks and
   * live time) do not go back in time for them: from now on a status is never older than the last one.
   */
  void addSource(CompassSource source) {
    int n = sources.length;
    sources = java.util.Arrays.copyOf(sources, n + 1);
    sources[n] = source;
    live = java.util.Arrays.copyOf(live, n + 1);
    headPs = java.util.Arrays.copyOf(headPs, n + 1);
    fake = java.util.Arrays.copyOf(fake, n + 1);
    unmapped = java.util.Arrays.copyOf(unmapped, n + 1);
    triggerFlags = java.util.Arrays.copyOf(triggerFlags, n + 1);
    statusFloorPs = Math.max(statusFloorPs, lastStatusPs);
    live[n] = source.next();
    if (live[n]) {
      headPs[n] = source.timestampPs();
    }
  }

  /**
   * Feeds one slab; false (and nothing fed) when every file of the run has ended.
   */
  boolean slab() {
    int n = sources.length;
    long startPs = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      if (live[i] && headPs[i] < startPs) {
        startPs = headPs[i];
      }
    }
    if (startPs == Long.MAX_VALUE) {
      return false;
    }
    long endPs = startPs > Long.MAX_VALUE - widthPs ? Long.MAX_VALUE : startPs + widthPs;
    if (schedule != null) {
      schedule.feedBefore(out, dataNs(endPs));
    }
    long fed = 0;
    long[] saved = dead.saved;
    for (int i = 0; i < n; i++) {
      if (!live[i] || headPs[i] >= endPs) {
        continue;
      }
      CompassSource s = sources[i];
      long ts = headPs[i];
      batchBoard = -1;
      int count = 0;
      boolean more;
      do {
        columns.set(s.board(), s.channel(), ts, s.energyAdc(), s.flags());
        // The current record, then the records after it that the loop would feed one by one (before endPs,
        // within the burst limit), in bulk. One call site of feed: the JIT inlines the pipeline into it once.
        int records = 1;
        do {
          feed(i, records, saved);
          count += records;
        } while (count < SLAB_FILE_MAX_RECORDS && (records = s.nextRecords(endPs, SLAB_FILE_MAX_RECORDS - count, columns)) > 0);
        more = s.next();
        if (!more) {
          break;
        }
        ts = s.timestampPs();
      } while (ts < endPs && count < SLAB_FILE_MAX_RECORDS);
      if (batchBoard >= 0) {
        out.endBatch();
      }
      if (more && ts < endPs) {
        endPs = ts; // a burst: the files after this one stop where it stopped
      }
      live[i] = more;
      headPs[i] = ts;
      fed += count;
    }
    // Every file gave its records before endPs: a status frame per board books the live time up to
    // just after the last record so far, or to the oldest record not given yet if that is older (so
    // it is a valid watermark, as a live board's status is; not endPs itself, which can lie after the
    // run's end).
    if (lastPs >= 0) {
      long statusPs = Math.max(statusTimePs(), statusFloorPs); // no floor (−1) unless a source joined late
      dead.status(statusPs);
      lastStatusPs = statusPs;
    }
    // Adapt the width to ~SLAB_EVENTS records, by at most ×4 per slab.
    long next = fed == 0 ? widthPs * 4 : Math.max(widthPs / 4, Math.min(widthPs * 4, widthPs / fed * SLAB_EVENTS));
    widthPs = Math.max(MIN_SLAB_PS, Math.min(maxWidthPs, next));
    return true;
  }

  /**
   * Feeds records 0 to {@code n} − 1 of {@link #columns}, of source {@code i} (time stamps in ps since the
   * run's start), each inside the board frame of its board ({@link #batchBoard}), or counts it as fake or
   * unmapped. The events of one board frame are gathered as columns ({@link #eventChannel}, board ticks of
   * data time, the merge's payload) in this one pass, and given in one call
   * ({@link CompassInputs#onBoardFrameEvents}) when the board changes and at the end. The time stamps (ps past
   * the run's base's last whole tick of the board, {@link CompassTimeBase}) are made board ticks just before, in a loop of their own ({@link PsToTicks#toTicks}): fewer values
   * live in this loop, and no call per record (issue 19: C1). The counts are kept in locals and stored once per
   * call, not once per record.
   */
  private void feed(int i, int n, long[] saved) {
    byte[] records = columns.bytes;
    long[] stamps = columns.timestampPs;
    int recordBytes = columns.recordBytes;
    int energyOffset = columns.energyOffset;
    int flagsOffset = columns.flagsOffset;
    int[] outChannel = eventChannel;
    long[] outTicks = eventTicks;
    long[] outPayload = eventPayload;
    int[] keys = map;
    int[] target = targetOf;
    int open = batchBoard;
    // The run's base in the open board's ticks, in registers (CompassTimeBase): a record's tick is
    // baseTicks + (remPs + ts) / tickPs, the division done per frame by PsToTicks.toTicks.
    long baseTicks = open >= 0 ? base.baseTicks(open) : 0;
    long remPs = open >= 0 ? base.remPs(open) : 0;
    long newestPs = lastPs;
    long fakeHere = 0;
    long unmappedHere = 0;
    long triggersHere = 0;
    long eventsHere = 0;
    // The CoMPASS board and channel of the record before (as read: u16 board | u16 channel << 16) and what they
    // map to: records of one channel file mostly share them, so the map is looked up when they change.
    int lastBoardAndChannel = 0;
    int lastKey = keys[0]; // CoMPASS board 0, channel 0
    // The saved events of that CoMPASS channel since it last changed, counted in a register (not a memory
    // increment per record), and where they are booked (its compass.channels entry; −1: not mapped).
    int savedTarget = lastKey >= 0 ? target[0] : -1;
    long savedHere = 0;
    int k = 0;
    int p = 0;
    while (true) {
      // The records up to the next one of another board (or the end): the open frame's events gathered.
      int pending = 0;
      int key = -1;
      for (; k < n; k++, p += recordBytes) {
        if (lastKey >= 0 && lastKey >>> 16 == open) {
          // Plain records (the CoMPASS channel of the record before, mapped to the open board, none of the fake, our
          // or trigger-counter flags): a run of them gathered in passes of their own, each a short loop with few live
          // values (issue 19: C1's code of this loop spilled most of its ~25 values); the same columns, counts and
          // newest time stamp as the record-by-record path below, which takes the record that ends the run.
          int end = plainRunEnd(records, p, recordBytes, flagsOffset, k, n, lastBoardAndChannel);
          if (end > k) {
            int m = end - k;
            newestPs = Math.max(newestPs, dataTimes(stamps, k, m, remPs, outTicks, pending));
            energies(records, p, recordBytes, energyOffset, m, outPayload, pending);
            java.util.Arrays.fill(outChannel, pending, pending + m, lastKey & 0xFFFF);
            pending += m;
            savedHere += m;
            k = end;
            p += m * recordBytes;
            key = lastKey;
            if (k == n) {
              break;
            }
          }
        }
        int boardAndChannel = (int) CompassRecordColumns.INT.get(records, p + CompassDescriptor.BOARD_OFFSET); // u16, u16
        int cf = (int) CompassRecordColumns.INT.get(records, p + flagsOffset);
        long ts = stamps[k];
        if (boardAndChannel != lastBoardAndChannel) { // another CoMPASS channel: its saved events are counted from here
          if (savedHere > 0) {
            saved[savedTarget] += savedHere;
            savedHere = 0;
          }
          int b = boardAndChannel & 0xFFFF;
          int c = boardAndChannel >>> 16;
          lastBoardAndChannel = boardAndChannel;
          lastKey = (b | c) < 256 ? keys[(b << 8) | c] : -1;
          savedTarget = lastKey >= 0 ? target[(b << 8) | c] : -1;
        }
        key = lastKey;
        if ((cf & CompassDescriptor.FAKE_MASK) == 0 && key >= 0) {
          if (key >>> 16 != open) {
            break; // another board: this frame is given, the board's opened and the record fed from the top
          }
          outChannel[pending] = key & 0xFFFF;
          outTicks[pending] = remPs + ts; // ps past the base's last whole tick (read unsigned): made ticks below
          long energyAdc = energyOffset < 0 ? 0 : (short) CompassRecordColumns.SHORT.get(records, p + energyOffset) & 0xFFFFL;
          outPayload[pending] = ((long) ((cf & OUR_FLAG_BITS) == 0 ? 0 : ourFlags(cf)) << 32) | energyAdc;
          pending++;
          savedHere++;
        } else if ((cf & CompassDescriptor.FAKE_MASK) != 0) {
          fakeHere++;
        } else {
          unmappedHere++;
        }
        if ((cf & CompassDescriptor.FLAG_TRIGGERS_1024) != 0) {
          triggersHere++;
        }
        newestPs = Math.max(newestPs, ts);
      }
      if (pending > 0) { // the one call site: the JIT inlines the pipeline's column entry here once
        ticks.toTicks(open, outTicks, pending, baseTicks);
        out.onBoardFrameEvents(outChannel, outTicks, outPayload, pending);
        eventsHere += pending;
      }
      if (k == n) {
        break;
      }
      if (open >= 0) {
        out.endBatch();
      }
      open = key >>> 16;
      out.beginBoardFrame(open);
      baseTicks = base.baseTicks(open);
      remPs = base.remPs(open);
    }
    if (savedHere > 0) {
      saved[savedTarget] += savedHere;
    }
    batchBoard = open;
    lastPs = newestPs;
    fake[i] += fakeHere;
    unmapped[i] += unmappedHere;
    triggerFlags[i] += triggersHere;
    events += eventsHere;
  }

  /**
   * The end of the run of plain records from record {@code k} (at byte {@code p}): records before {@code n} of CoMPASS
   * board and channel {@code boardAndChannel} (as read, u16 | u16 &lt;&lt; 16) whose flags have none of {@link #NOT_PLAIN}.
   */
  private static int plainRunEnd(byte[] records, int p, int recordBytes, int flagsOffset, int k, int n, int boardAndChannel) {
    int at = p + CompassDescriptor.BOARD_OFFSET;
    int flagsAt = p + flagsOffset;
    int e = k;
    while (e < n && (int) CompassRecordColumns.INT.get(records, at) == boardAndChannel
        && ((int) CompassRecordColumns.INT.get(records, flagsAt) & NOT_PLAIN) == 0) {
      e++;
      at += recordBytes;
      flagsAt += recordBytes;
    }
    return e;
  }

  /**
   * {@code out[to + j] = remPs + stamps[k + j]} (ps past the base's last whole tick of the open board, read unsigned:
   * {@link CompassTimeBase}) for j below {@code m}; returns the newest of those time stamps.
   */
  private static long dataTimes(long[] stamps, int k, int m, long remPs, long[] out, int to) {
    long newest = Long.MIN_VALUE;
    for (int j = 0; j < m; j++) {
      long ts = stamps[k + j];
      newest = Math.max(newest, ts);
      out[to + j] = remPs + ts;
    }
    return newest;
  }

  /**
   * The payloads of {@code m} plain records from byte {@code p}: the energy (ADC channels; 0 when the file has none), no flags.
   * The u16 is put together from its two bytes: in C1's code (a replay below 500 MB) that is two array loads, where the
   * little-endian view ({@link CompassRecordColumns#SHORT}) also runs the VarHandle's checks per record.
   */
  private static void energies(byte[] records, int p, int recordBytes, int energyOffset, int m, long[] out, int to) {
    if (energyOffset < 0) {
      java.util.Arrays.fill(out, to, to + m, 0L);
      return;
    }
    int at = p + energyOffset;
    for (int j = 0; j < m; j++, at += recordBytes) {
      out[to + j] = (records[at] & 0xFF) | (records[at + 1] & 0xFF) << 8; // u16, little-endian
    }
  }

  /** Just after the last record fed, or the oldest record not fed yet if that is older, ps. */
  private long statusTimePs() {
    long statusPs = lastPs + 1;
    for (int i = 0; i < sources.length; i++) {
      if (live[i] && headPs[i] < statusPs) {
        statusPs = headPs[i]; // a file stopped by a burst: its next record may be older than lastPs
      }
    }
    return statusPs;
  }

  /**
   * Ends the run: its real time (run.info's stop − start, else a timed run's length from the
   * settings, else the time stamps' span to just after the last record; never shorter than that
   * span), booked by a last status per board. Returns the real time, ns; the next run's time base is
   * this run's plus it ({@link #nextOffsetNs}).
   *
   * @throws ArithmeticException if the run's end in data time does not fit a long of ns (292 years; a run.info
   *     whose stop is centuries after its start): nothing is given then
   */
  long finishRun(CompassRunInfo runInfo) {
    long spanNs = lastPs < 0 ? 0 : lastPs / 1000 + 1;
    long realNs;
    if (runInfo.runInfoDurationNs() > 0) {
      realNs = runInfo.runInfoDurationNs();
      realTimeSource = "run.info time.stop - time.start (" + runInfo.runInfo() + ")";
    } else if (runInfo.timedRunDurationNs() > 0) {
      realNs = runInfo.timedRunDurationNs();
      realTimeSource = "timed run length in the settings (" + runInfo.settings() + ")";
    } else {
      realNs = spanNs;
      realTimeSource = "time stamps from the run start to the last record";
    }
    if (realNs < spanNs) {
      realTimeSource += "; shorter than the last time stamp, extended to it";
      realNs = spanNs;
    }
    long endNs = Math.addExact(base.offsetNs(), realNs);
    if (schedule != null) {
      schedule.feedBefore(out, endNs);
    }
    dead.statusAtRunNs(realNs);
    return realNs;
  }

  /**
   * The time base of the run after the one just finished: {@link #offsetNs()} plus its real time.
   *
   * @throws ArithmeticException if it does not fit a long of ns (292 years)
   */
  long nextOffsetNs(long realNs) {
    return Math.addExact(base.offsetNs(), realNs);
  }

  /**
   * Data time of the run's time stamp {@code runPs} (≥ 0), rounded up to a whole ns: a transition at {@code t} ns
   * is before the time stamp exactly when {@code t} is before this (t · 1000 &lt; base · 1000 + runPs); saturates
   * at the end of a long.
   */
  private long dataNs(long runPs) {
    long ns = runPs / 1000 + (runPs % 1000 == 0 ? 0 : 1);
    long offsetNs = base.offsetNs();
    return ns > Long.MAX_VALUE - offsetNs ? Long.MAX_VALUE : offsetNs + ns;
  }

  /** The CoMPASS flags that have one of ours ({@link #ourFlags}). */
  private static final int OUR_FLAG_BITS = CompassDescriptor.FLAG_PILEUP | CompassDescriptor.FLAG_SATURATION
      | CompassDescriptor.FLAG_TIMESTAMP_RESET | CompassDescriptor.FLAG_TIMESTAMP_ROLLOVER;

  /** CoMPASS flags that take a record off {@link #feed}'s plain path: fake, one of ours, the trigger counter's. */
  private static final int NOT_PLAIN = CompassDescriptor.FAKE_MASK | OUR_FLAG_BITS | CompassDescriptor.FLAG_TRIGGERS_1024;

  /** Our flag bits for CoMPASS flags (fake records never get here). */
  static int ourFlags(int cf) {
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

  /** Saved (non-fake, mapped) events per compass.channels entry, cumulative over runs (mutable: a resume sets them). */
  long[] saved() {
    return dead.saved;
  }

  long events() {
    return events;
  }

  void events(long resumed) {
    events = resumed;
  }

  /** The run's time base (data time of its time stamp 0), ns. */
  long offsetNs() {
    return base.offsetNs();
  }

  long widthPs() {
    return widthPs;
  }

  long lastPs() {
    return lastPs;
  }

  /** The floor of the run's status times (−1: none; see {@link #addSource}), ps. */
  long statusFloorPs() {
    return statusFloorPs;
  }

  /** A resumed run's floor of the status times, as {@link #statusFloorPs()} gave it (after {@link #startRun}). */
  void statusFloorPs(long floorPs) {
    statusFloorPs = floorPs;
    if (floorPs >= 0) {
      lastStatusPs = Math.max(lastStatusPs, floorPs);
    }
  }

  /** Whether source {@code i} of the run still has records (its current record is the next to feed). */
  boolean live(int i) {
    return live[i];
  }

  /** The time stamp of source {@code i}'s current record (its last one once it ended), ps. */
  long headPs(int i) {
    return headPs[i];
  }

  long fake(int i) {
    return fake[i];
  }

  long unmapped(int i) {
    return unmapped[i];
  }

  long triggerFlags(int i) {
    return triggerFlags[i];
  }

  /** Where the last finished run's real time came from. */
  String realTimeSource() {
    return realTimeSource;
  }

  ReactorSchedule schedule() {
    return schedule;
  }
}
