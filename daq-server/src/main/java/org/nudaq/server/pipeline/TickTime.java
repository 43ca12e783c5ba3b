package org.nudaq.server.pipeline;

/**
 * Conversion of digitizer ticks to nanoseconds with integer arithmetic only.
 *
 * <p>{@code ticks · tickPs} overflows a long after about 107 days at 4 ns (4000 ps) ticks, so the
 * product is split: {@code ns = (ticks / 1000) · tickPs + (ticks % 1000) · tickPs / 1000}, which is
 * exactly {@code floor(ticks · tickPs / 1000)} for non-negative ticks and overflows only when the
 * result itself does not fit a long. Stateless and thread-safe.
 */
public final class TickTime {
  private TickTime() {}

  /**
   * Nanoseconds for a tick count.
   *
   * @param ticks  non-negative tick count
   * @param tickPs tick length, picoseconds (&gt; 0)
   * @return floor(ticks · tickPs / 1000), ns
   */
  public static long ticksToNs(long ticks, long tickPs) {
    long q = ticks / 1000;
    long r = ticks % 1000;
    return q * tickPs + (r * tickPs) / 1000;
  }

  /** Tick length in picoseconds for a configured tick in nanoseconds (rounded to 1 ps). */
  public static long tickPsOf(double tickNs) {
    return Math.round(tickNs * 1000.0);
  }
}
