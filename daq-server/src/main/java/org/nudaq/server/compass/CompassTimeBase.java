package org.nudaq.server.compass;

/**
 * The data time of a CoMPASS run's time stamps, in each of our boards' ticks (the unit the pipeline takes).
 * A run's time stamps are ps since its own start; the run starts at data time {@code offsetNs}, the summed
 * real times of the runs before it. That base is kept in ns, not ps: a signed 64-bit count of ps ends after
 * ~106.7 days (a live follow of daily runs gets there in four months, and every later event would be LATE),
 * one of ns after 292 years. Per board it is split once per run into whole ticks and the ps left over,
 *
 * <pre>  offsetNs · 1000 = baseTicks · tickPs + remPs,   0 ≤ remPs &lt; tickPs,</pre>
 *
 * so the tick of time stamp {@code ts} is {@code baseTicks + floor((remPs + ts) / tickPs)}: exactly
 * {@code floor((offsetNs · 1000 + ts) / tickPs)}, the tick the sum in ps gave while it fitted, with one
 * addition per record and no ps sum larger than one run's time stamps ({@link CompassFeed}'s hot loop
 * reads {@link #baseTicks} and {@link #remPs} of the open board into registers).
 *
 * <p>Single-threaded (the feed's thread).
 */
final class CompassTimeBase {
  private final long[] tickPs;
  private final PsToTicks ticks;
  private final long[] baseTicks;
  private final long[] remPs;
  private long offsetNs;

  /** @param tickPs tick length by our board id, ps (0 for ids that are not boards) */
  CompassTimeBase(long[] tickPs, PsToTicks ticks) {
    this.tickPs = tickPs.clone();
    this.ticks = ticks;
    baseTicks = new long[tickPs.length];
    remPs = new long[tickPs.length];
  }

  /**
   * Sets the run's base, data time {@code offsetNs} (≥ 0) of its time stamp 0.
   *
   * @throws ArithmeticException if a board's tick count of it does not fit a long (ticks shorter than 1 ns only)
   */
  void start(long offsetNs) {
    for (int b = 0; b < tickPs.length; b++) {
      if (tickPs[b] > 0) {
        baseTicks[b] = ticksOfNs(tickPs[b], offsetNs);
        remPs[b] = Math.floorMod(offsetNs, tickPs[b]) * 1000 % tickPs[b];
      }
    }
    this.offsetNs = offsetNs;
  }

  /** The run's base: data time of its time stamp 0, ns. */
  long offsetNs() {
    return offsetNs;
  }

  /** Whole ticks of board {@code board} in the base. */
  long baseTicks(int board) {
    return baseTicks[board];
  }

  /** The ps of the base beyond {@link #baseTicks} (below one tick of board {@code board}). */
  long remPs(int board) {
    return remPs[board];
  }

  /**
   * Board {@code board}'s tick of the run's time stamp {@code runPs} (ps since the run's start, 0 to 2^63 − 1), floor:
   * the feed's conversion of one value ({@link PsToTicks#toTicks(int, long)}). {@code remPs + runPs} is below 2^64,
   * read unsigned (a time stamp within a tick of 2^63 ps carries past 2^63), so it needs no other floor.
   */
  long ticksOf(int board, long runPs) {
    return baseTicks[board] + ticks.toTicks(board, remPs[board] + runPs);
  }

  /**
   * Board {@code board}'s tick of {@code runNs} after the run's start (its end: the real time is in ns), floor.
   *
   * @throws ArithmeticException if the data time or its tick count does not fit a long
   */
  long ticksOfRunNs(int board, long runNs) {
    return ticksOfNs(tickPs[board], Math.addExact(offsetNs, runNs));
  }

  /** {@code floor(ns · 1000 / tickPs)} without forming ns · 1000: ns = a · tickPs + b, so it is 1000 a + floor(1000 b / tickPs). */
  private static long ticksOfNs(long tickPs, long ns) {
    long a = Math.floorDiv(ns, tickPs);
    long b = Math.floorMod(ns, tickPs);
    return Math.addExact(Math.multiplyExact(a, 1000L), b * 1000 / tickPs);
  }
}
