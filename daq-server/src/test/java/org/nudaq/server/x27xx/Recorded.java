package org.nudaq.server.x27xx;

import java.util.ArrayList;
import java.util.List;

/** A visitor that writes down everything, as text lines and numbers, for tests. */
final class Recorded implements X27xxVisitor {
  final List<String> items = new ArrayList<>();
  final List<long[]> hits = new ArrayList<>();
  final List<long[]> stats = new ArrayList<>();
  final List<String> errors = new ArrayList<>();
  final X27xxChannelStatistics channelStatistics = new X27xxChannelStatistics();

  @Override
  public void onStartRun(long channelMask, long acquisitionWord) {
    items.add("start mask=0x" + Long.toHexString(channelMask));
  }

  @Override
  public void onStopRun(long runEndTimestamp8ns, long totalDeadTime8ns) {
    items.add("stop ts=" + runEndTimestamp8ns + " dead=" + totalDeadTime8ns);
  }

  @Override
  public void onAggregate(int counter, boolean flush, boolean boardFail, long words) {
    items.add("aggregate counter=" + counter + " flush=" + flush + " fail=" + boardFail + " words=" + words);
  }

  @Override
  public void onHit(int channel, long timestamp8ns, int fineTimestamp, int energy, int energyShort, int flagsLow, int flagsHigh,
      boolean singleWord, boolean waveform) {
    hits.add(new long[] {channel, timestamp8ns, fineTimestamp, energy, energyShort, flagsLow, flagsHigh, singleWord ? 1 : 0,
        waveform ? 1 : 0});
  }

  @Override
  public void onStatistics(int channel, long realTime8ns, long deadTime8ns, int triggers, int savedEvents) {
    stats.add(new long[] {channel, realTime8ns, deadTime8ns, triggers, savedEvents});
    channelStatistics.update(channel, realTime8ns, deadTime8ns, triggers, savedEvents);
  }

  @Override
  public void onError(long offset, String message) {
    errors.add(message);
  }
}
