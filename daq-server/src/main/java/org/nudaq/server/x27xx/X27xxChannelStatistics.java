package org.nudaq.server.x27xx;

/**
 * Dead time and trigger counts of each channel from the x27xx statistics events: the latest real and
 * dead time (48-bit counters of 8 ns, read as given) and the trigger and saved-event counts, whose 24-bit
 * counters wrap — the totals add each step modulo 2^24, so they stay right as long as fewer than 2^24
 * triggers fall between two statistics events of a channel. Single-threaded.
 */
public final class X27xxChannelStatistics {
  private static final int COUNTER_WRAP = 1 << 24;
  private final long[] realTime8ns = new long[128];
  private final long[] deadTime8ns = new long[128];
  private final long[] triggers = new long[128];
  private final long[] saved = new long[128];
  private final int[] lastTriggers = new int[128];
  private final int[] lastSaved = new int[128];
  private final boolean[] seen = new boolean[128];

  /** One statistics event (arguments as {@link X27xxVisitor#onStatistics}). */
  public void update(int channel, long realTime, long deadTime, int triggerCount, int savedCount) {
    if (seen[channel]) {
      triggers[channel] += (triggerCount - lastTriggers[channel]) & (COUNTER_WRAP - 1);
      saved[channel] += (savedCount - lastSaved[channel]) & (COUNTER_WRAP - 1);
    } else {
      triggers[channel] = triggerCount;
      saved[channel] = savedCount;
      seen[channel] = true;
    }
    lastTriggers[channel] = triggerCount;
    lastSaved[channel] = savedCount;
    realTime8ns[channel] = realTime;
    deadTime8ns[channel] = deadTime;
  }

  public boolean seen(int channel) {
    return seen[channel];
  }

  /** Real time of the channel at its latest statistics event, s. */
  public double realTimeSeconds(int channel) {
    return realTime8ns[channel] * 8e-9;
  }

  /** Dead time of the channel at its latest statistics event, s. */
  public double deadTimeSeconds(int channel) {
    return deadTime8ns[channel] * 8e-9;
  }

  /** Live time = real − dead, s. */
  public double liveTimeSeconds(int channel) {
    return (realTime8ns[channel] - deadTime8ns[channel]) * 8e-9;
  }

  /** Triggers counted (wraps of the 24-bit counter unrolled). */
  public long triggers(int channel) {
    return triggers[channel];
  }

  /** Events saved (wraps unrolled). */
  public long savedEvents(int channel) {
    return saved[channel];
  }
}
