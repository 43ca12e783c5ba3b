package org.nudaq.server.pipeline;

/**
 * Live time per source and reactor state from the boards' status counters, before any gate.
 *
 * <p>For two consecutive status frames of a board, a channel's live time is the board's real-time
 * delta minus that channel's dead-time delta, all in integer nanoseconds (cumulative tick counters
 * are converted to ns before differencing, so rounding never accumulates). The interval is
 * attributed to the reactor state the earlier frame reported (the protocol says that state holds
 * until the next frame; the simulator sends a frame at every change, so this is exact). With
 * gates.reactorStateSource = control the interval's real time is split by the control timeline and
 * the live time is shared in proportion. The first frame of a board closes the interval since its
 * run start (counters start at zero, state unknown).
 *
 * <p>Beside the live time, the power-weighted live time: each share of live time multiplied by the
 * reactor's thermal power as a fraction of nominal in that interval (the power a status frame
 * reported with its state, or the control timeline's power, averaged over the interval's real time).
 * It is the exposure the expected reactor signal scales with.
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class LiveTimeAccounting {
  private final ChannelMap map;
  private final boolean stateFromStatus;
  private final ReactorTimeline timeline;
  private final long[][] liveNs;
  /** Live time × power fraction per source and state, ns (a double: the product is not an integer). */
  private final double[][] livePowerNs;
  private final double[] prevPower;
  private final double[] splitPowerNs = new double[ReactorState.COUNT];
  private final long[] prevBoardNs;
  private final long[] prevRealNs;
  private final int[] prevState;
  private final long[] prevDeadNs;
  private final long[] nextDeadNs;
  private final boolean[] channelReported;
  private final long[] splitNs = new long[ReactorState.COUNT];
  // The status being assembled (one board at a time: frames are decoded whole).
  private int statusBoard = -1;
  private long statusBoardNs;
  private long statusRealNs;
  private int statusState;
  private double statusPower;
  private long missingChannels;
  private long statusFrames;
  /** Issue 19: the terms added to livePowerNs (flat index source × COUNT + state, raw bits), in a speculative segment; else null. */
  private SegmentLog powerTerms;

  LiveTimeAccounting(ChannelMap map, boolean stateFromStatus, ReactorTimeline timeline) {
    this.map = map;
    this.stateFromStatus = stateFromStatus;
    this.timeline = timeline;
    liveNs = new long[map.sourceCount][ReactorState.COUNT];
    livePowerNs = new double[map.sourceCount][ReactorState.COUNT];
    prevPower = new double[map.boardCount];
    prevBoardNs = new long[map.boardCount];
    prevRealNs = new long[map.boardCount];
    prevState = new int[map.boardCount];
    java.util.Arrays.fill(prevState, ReactorState.UNKNOWN.ordinal());
    prevDeadNs = new long[map.sourceCount];
    nextDeadNs = new long[map.sourceCount];
    channelReported = new boolean[map.sourceCount];
  }

  /** @param powerFraction the thermal power (fraction of nominal) with the state from this frame on */
  void begin(int boardIndex, long boardTimeNs, long realTimeNs, int stateIndex, double powerFraction) {
    statusBoard = boardIndex;
    statusBoardNs = boardTimeNs;
    statusRealNs = realTimeNs;
    statusState = stateIndex;
    statusPower = powerFraction;
    for (int s : map.boardSources[boardIndex]) {
      channelReported[s] = false;
    }
  }

  long statusBoardNs() {
    return statusBoardNs;
  }

  int statusState() {
    return statusState;
  }

  double statusPower() {
    return statusPower;
  }

  boolean inStatus(int boardIndex) {
    return statusBoard == boardIndex;
  }

  void channel(int source, long deadTimeNs) {
    nextDeadNs[source] = deadTimeNs;
    channelReported[source] = true;
  }

  /** Closes the status frame: books the interval since the board's previous frame. */
  void end(int b) {
    long realDelta = statusRealNs - prevRealNs[b];
    long from = prevBoardNs[b];
    long to = statusBoardNs;
    java.util.Arrays.fill(splitNs, 0);
    java.util.Arrays.fill(splitPowerNs, 0);
    if (stateFromStatus || to <= from) {
      splitNs[prevState[b]] = 1;
      splitPowerNs[prevState[b]] = prevPower[b];
    } else {
      timeline.split(from, to, splitNs, splitPowerNs);
    }
    long splitTotal = 0;
    for (long ns : splitNs) {
      splitTotal += ns;
    }
    for (int s : map.boardSources[b]) {
      if (!channelReported[s]) {
        missingChannels++;
        nextDeadNs[s] = prevDeadNs[s]; // no news: assume no dead time in this interval
      }
      long live = realDelta - (nextDeadNs[s] - prevDeadNs[s]);
      prevDeadNs[s] = nextDeadNs[s];
      share(s, live, splitTotal);
    }
    prevBoardNs[b] = to;
    prevRealNs[b] = statusRealNs;
    prevState[b] = statusState;
    prevPower[b] = statusPower;
    statusBoard = -1;
    statusFrames++;
  }

  /**
   * Shares {@code live} over the states in proportion to splitNs (exact when one state holds), and
   * adds each share × the state's mean power fraction in the interval to {@code intoPower}.
   */
  private void share(int source, long live, long splitTotal) {
    long[] into = liveNs[source];
    double[] intoPower = livePowerNs[source];
    long rest = live;
    int last = -1;
    for (int k = 0; k < ReactorState.COUNT; k++) {
      if (splitNs[k] > 0) {
        last = k;
      }
    }
    for (int k = 0; k < last; k++) {
      if (splitNs[k] > 0) {
        long part = Math.round(live * ((double) splitNs[k] / splitTotal));
        into[k] += part;
        addPower(source, k, part * (splitPowerNs[k] / splitNs[k]));
        rest -= part;
      }
    }
    into[last] += rest;
    addPower(source, last, rest * (splitPowerNs[last] / splitNs[last]));
  }

  private void addPower(int source, int state, double term) {
    livePowerNs[source][state] += term;
    if (powerTerms != null) {
      powerTerms.add((long) source * ReactorState.COUNT + state, Double.doubleToRawLongBits(term));
    }
  }

  /** Issue 19: from now on, logs every term added to the power-weighted live time ({@link SegmentJoin}). */
  void logPowerTerms(SegmentLog log) {
    powerTerms = log;
  }

  /** Live time × power fraction of a source in a state, ns. */
  double livePowerNs(int source, int stateIndex) {
    return livePowerNs[source][stateIndex];
  }

  long liveNs(int source, int stateIndex) {
    return liveNs[source][stateIndex];
  }

  /**
   * The board's cumulative real time at its last closed status frame, ns: the sum of the intervals
   * booked for its sources (counters start at zero with the run), so real − Σ live is the dead time.
   */
  long realNs(int boardIndex) {
    return prevRealNs[boardIndex];
  }

  /** The board time of the board's last closed status frame, ns (issue 19, {@link SegmentJoin}). */
  long prevBoardNs(int boardIndex) {
    return prevBoardNs[boardIndex];
  }

  long missingChannels() {
    return missingChannels;
  }

  long statusFrames() {
    return statusFrames;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("LIVE");

  /** Writes every counter, the previous status of each board and a status frame being assembled, if any. */
  void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putInt(liveNs.length);
    for (long[] l : liveNs) {
      out.putSumLongs(l);
    }
    for (double[] l : livePowerNs) {
      out.putSumDoubles(l);
    }
    out.putDoubles(prevPower);
    out.putLongs(prevBoardNs);
    out.putLongs(prevRealNs);
    out.putInts(prevState);
    out.putLongs(prevDeadNs);
    out.putLongs(nextDeadNs);
    out.putBooleans(channelReported);
    out.putInt(statusBoard);
    out.putLong(statusBoardNs);
    out.putLong(statusRealNs);
    out.putInt(statusState);
    out.putDouble(statusPower);
    out.putSumLong(missingChannels);
    out.putSumLong(statusFrames);
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "live time");
    in.expectInt("live.sources", liveNs.length);
    for (int s = 0; s < liveNs.length; s++) {
      in.getLongs("live.liveNs[" + s + "]", liveNs[s]);
    }
    for (int s = 0; s < livePowerNs.length; s++) {
      in.getDoubles("live.livePowerNs[" + s + "]", livePowerNs[s]);
    }
    in.getDoubles("live.prevPower", prevPower);
    in.getLongs("live.prevBoardNs", prevBoardNs);
    in.getLongs("live.prevRealNs", prevRealNs);
    in.getInts("live.prevState", prevState);
    in.getLongs("live.prevDeadNs", prevDeadNs);
    in.getLongs("live.nextDeadNs", nextDeadNs);
    in.getBooleans("live.channelReported", channelReported);
    int at = in.offset();
    statusBoard = in.getInt();
    if (statusBoard < -1 || statusBoard >= prevBoardNs.length) {
      throw new StateFormatException("live.statusBoard=" + statusBoard + " is not a board index", at);
    }
    statusBoardNs = in.getLong();
    statusRealNs = in.getLong();
    statusState = in.getInt();
    statusPower = in.getDouble();
    missingChannels = in.getLong();
    statusFrames = in.getLong();
  }

  /** Whether a status frame is being booked (between begin and end). */
  boolean statusInProgress() {
    return statusBoard >= 0;
  }
}
