package org.nudaq.server.x27xx;

/**
 * Receives what {@link X27xxRawDecoder} finds in x27xx raw data, in stream order. Field units as in
 * {@link X27xxDescriptor}. Called on the decoder's thread; the per-hit calls must not allocate.
 */
public interface X27xxVisitor {

  /** Start of a run: the channel mask of the enabled channels (bit n = channel n) and word 1 as sent. */
  void onStartRun(long channelMask, long acquisitionWord);

  /** End of a run: its time stamp and the board's total dead time, both in 8 ns units. */
  void onStopRun(long runEndTimestamp8ns, long totalDeadTime8ns);

  /** An aggregate header: counter (24 bits), flush and board-fail bits, words including the header. */
  void onAggregate(int counter, boolean flush, boolean boardFail, long words);

  /**
   * A hit (two-word or single-word).
   *
   * @param timestamp8ns  time stamp, 8 ns units (48 bits; a single-word hit has only the low 32 bits)
   * @param fineTimestamp fine time stamp, 7.8125 ps units (0 for single-word hits)
   * @param energyShort   PSD short gate (0 for DPP-PHA and single-word hits)
   * @param flagsLow      low-priority flags, 12 bits (0 for single-word hits)
   * @param flagsHigh     high-priority flags, 8 bits
   * @param singleWord    the data-reduction format (fewer fields)
   * @param waveform      a waveform followed (skipped)
   */
  void onHit(int channel, long timestamp8ns, int fineTimestamp, int energy, int energyShort, int flagsLow, int flagsHigh,
      boolean singleWord, boolean waveform);

  /**
   * A statistics (time/counter) event of one channel: cumulative values as the board counts them.
   *
   * @param realTime8ns   the channel's real time, 8 ns units
   * @param deadTime8ns   its dead time, 8 ns units (48 bits)
   * @param triggers      triggers counted (24 bits: wraps)
   * @param savedEvents   events saved (24 bits: wraps)
   */
  void onStatistics(int channel, long realTime8ns, long deadTime8ns, int triggers, int savedEvents);

  /** Something that is not x27xx raw data: skipped and counted; {@code offset} is in bytes from the start of the source. */
  void onError(long offset, String message);
}
