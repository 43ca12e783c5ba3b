package org.nudaq.sim.board;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.ChannelConfig;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.wire.EventBatch;

/**
 * One digitizer board as the daemon sees it: turns generated events (detector time in ns, energy in
 * keV) into list-mode records (timestamp in ticks of {@code tickNs}, energy in ADC through the
 * channel's inverse calibration, flags) collected in per-channel aggregates, and latches STATUS
 * counters.
 *
 * <ul>
 *   <li>An aggregate is sent when it holds {@code aggregateMaxEvents} events, or when its first event
 *       is more than {@code aggregateMaxAgeNs} older than the board's newest event, or at a STATUS.
 *       Channels therefore interleave out of time order, but an event is never sent after an event
 *       of the same board that is more than {@code aggregateMaxAgeNs} newer, and each channel stays
 *       in time order.
 *   <li>Energies: {@code adc = round((E − c0)/c1)} clamped to [0, 2^adcBits − 1]; hitting full scale
 *       sets {@link EventFlags#SATURATION} (a value below 0 is clamped to 0 without a flag: the
 *       flag means full scale).
 *   <li>A trigger that finds the buffer full is lost: counted in STATUS {@code lostTriggers}, and the
 *       channel's next stored event carries {@link EventFlags#LOST_TRIGGERS_BEFORE} and the count.
 *   <li>STATUS (a watermark): all aggregates are flushed first, then the STATUS is queued, so no later
 *       event has a timestamp below its {@code boardTimeTicks}.
 *   <li>Timestamp counter of {@code timestampBits} bits (64 normally; fewer to inject rollovers):
 *       timestamps and {@code boardTimeTicks} wrap at 2^bits, and the first event of each channel
 *       after a wrap carries {@link EventFlags#TIMESTAMP_ROLLOVER}. Real/live/dead counters never
 *       wrap.
 * </ul>
 *
 * <p>Single-threaded (the generator's thread); {@link #onEvent} allocates nothing.
 */
public final class BoardModel {
  private final int boardId;
  private final BoardConfig config;
  private final BoardBuffer buffer;
  private final double tickNs;
  private final long tickNsExact; // > 0 when tickNs is a whole number of ns
  private final int adcMax;
  private final long aggregateMaxAgeNs;
  private final int timestampBits;
  private final long timestampMask;

  private final int slots;
  private final int[] channelNumber;
  private final boolean[] hpge;
  private final double[] calOffsetKeV;
  private final double[] calKeVPerAdc;
  private final EventBatch[] open;
  private final long[] openFirstNs;
  private final long[] accepted;
  private final long[] lost;
  private final int[] lostSinceLastEvent;
  private final long[] lastWrap;
  private final long[] rollovers;
  private int openCount;
  private long statusDropped;
  private long statusSent;
  private volatile long lastStatusTicks;

  /**
   * @param config             the board (channels, tick, ADC bits)
   * @param buffer             where aggregates and STATUS latches go
   * @param aggregateMaxAgeNs  oldest an open aggregate may get (detector time), ns
   * @param timestampBits      width of the timestamp counter, 1..64 (64: no rollover in practice)
   */
  public BoardModel(BoardConfig config, BoardBuffer buffer, long aggregateMaxAgeNs, int timestampBits) {
    if (timestampBits < 1 || timestampBits > 64) {
      throw new IllegalArgumentException("timestampBits=" + timestampBits + " out of range 1..64, board " + config.id());
    }
    this.boardId = config.id();
    this.config = config;
    this.buffer = buffer;
    this.tickNs = config.tickNs();
    this.tickNsExact = tickNs == Math.rint(tickNs) ? (long) tickNs : 0;
    this.adcMax = (1 << config.adcBits()) - 1;
    this.aggregateMaxAgeNs = aggregateMaxAgeNs;
    this.timestampBits = timestampBits;
    this.timestampMask = timestampBits == 64 ? -1L : (1L << timestampBits) - 1;
    this.slots = config.channels().size();
    channelNumber = new int[slots];
    hpge = new boolean[slots];
    calOffsetKeV = new double[slots];
    calKeVPerAdc = new double[slots];
    for (int s = 0; s < slots; s++) {
      ChannelConfig c = config.channels().get(s);
      double[] cal = c.calibration();
      if (cal.length != 2) {
        throw new IllegalArgumentException("the simulator needs a linear calibration: board " + boardId
            + ", channel " + c.channel() + " has " + cal.length + " terms");
      }
      channelNumber[s] = c.channel();
      hpge[s] = c.role() == ChannelConfig.Role.HPGE;
      calOffsetKeV[s] = cal[0];
      calKeVPerAdc[s] = cal[1];
    }
    open = new EventBatch[slots];
    openFirstNs = new long[slots];
    accepted = new long[slots];
    lost = new long[slots];
    lostSinceLastEvent = new int[slots];
    lastWrap = new long[slots];
    rollovers = new long[slots];
  }

  public int boardId() {
    return boardId;
  }

  public BoardConfig config() {
    return config;
  }

  public BoardBuffer buffer() {
    return buffer;
  }

  /** Channels of the board: slot s is {@code config().channels().get(s)}. */
  public int slots() {
    return slots;
  }

  /** Channel count for the HELLO: channels are numbered 0 … count − 1. */
  public int channelCount() {
    int max = 0;
    for (int n : channelNumber) {
      max = Math.max(max, n);
    }
    return max + 1;
  }

  /** Tick length in picoseconds, for the HELLO. */
  public long tickLengthPs() {
    return Math.round(tickNs * 1000);
  }

  /** The board clock at the last STATUS, wrapped like timestamps (for a HELLO); any thread. */
  public long boardTimeTicks() {
    return lastStatusTicks;
  }

  /** Detector time → board ticks (not wrapped). */
  public long ticks(long timeNs) {
    return tickNsExact > 0 ? timeNs / tickNsExact : (long) Math.floor(timeNs / tickNs);
  }

  /** Energy → ADC value of slot {@code s} before clamping (round to nearest, as ChannelConfig.adcForKeV). */
  public long rawAdc(int s, double energyKeV) {
    return Math.round((energyKeV - calOffsetKeV[s]) / calKeVPerAdc[s]);
  }

  /** One trigger on slot {@code s}; {@code generatorFlags} uses {@link EventGenerator#FLAG_PILEUP}. */
  public void onEvent(int s, long timeNs, double energyKeV, int generatorFlags) {
    if (openCount > 0) {
      flushOlderThan(timeNs - aggregateMaxAgeNs);
    }
    EventBatch batch = open[s];
    if (batch == null) {
      batch = buffer.acquire();
      if (batch == null) {
        lost[s]++;
        if (lostSinceLastEvent[s] < Integer.MAX_VALUE) {
          lostSinceLastEvent[s]++;
        }
        return;
      }
      open[s] = batch;
      openFirstNs[s] = timeNs;
      openCount++;
    }
    int flags = (generatorFlags & EventGenerator.FLAG_PILEUP) != 0 ? EventFlags.PILEUP : 0;
    long adc = rawAdc(s, energyKeV);
    if (adc > adcMax) {
      flags |= EventFlags.SATURATION;
      adc = adcMax;
    } else if (adc < 0) {
      adc = 0;
    }
    int lostBefore = 0;
    if (lostSinceLastEvent[s] > 0) {
      flags |= EventFlags.LOST_TRIGGERS_BEFORE;
      lostBefore = Math.min(lostSinceLastEvent[s], 0xFFFF);
      lostSinceLastEvent[s] = 0;
    }
    long ticks = ticks(timeNs);
    if (timestampBits < 64) {
      long wrap = ticks >>> timestampBits;
      if (wrap != lastWrap[s]) {
        flags |= EventFlags.TIMESTAMP_ROLLOVER;
        lastWrap[s] = wrap;
        rollovers[s]++;
      }
    }
    batch.add(ticks & timestampMask, channelNumber[s], (int) adc, flags, lostBefore);
    accepted[s]++;
    if (batch.size() == batch.capacity()) {
      flush(s);
    }
  }

  /**
   * Latches the counters at detector time {@code timeNs}: flushes every aggregate, then queues a
   * STATUS.
   *
   * @param deadNsBySlot cumulative dead time of each slot up to {@code timeNs}, ns (0 for NaI)
   */
  public void onStatus(long timeNs, boolean reactorOn, long[] deadNsBySlot) {
    flushAll();
    long real = ticks(timeNs);
    List<ChannelCounters> counters = new ArrayList<>(slots);
    for (int s = 0; s < slots; s++) {
      long dead = Math.min(real, ticks(deadNsBySlot[s]));
      counters.add(new ChannelCounters(channelNumber[s], real - dead, dead, accepted[s], lost[s]));
    }
    long boardTime = real & timestampMask;
    int state = reactorOn ? FrameDescriptor.REACTOR_ON : FrameDescriptor.REACTOR_OFF;
    if (buffer.publishStatus(new BoardStatus(boardTime, real, state, counters))) {
      statusSent++;
    } else {
      statusDropped++;
    }
    lastStatusTicks = boardTime;
  }

  /** Sends every open aggregate now. */
  public void flushAll() {
    for (int s = 0; s < slots && openCount > 0; s++) {
      if (open[s] != null) {
        flush(s);
      }
    }
  }

  private void flushOlderThan(long limitNs) {
    for (int s = 0; s < slots; s++) {
      if (open[s] != null && openFirstNs[s] < limitNs) {
        flush(s);
      }
    }
  }

  private void flush(int s) {
    EventBatch b = open[s];
    open[s] = null;
    openCount--;
    buffer.publish(b);
  }

  /** Triggers stored in the buffer on slot s (cumulative). */
  public long accepted(int s) {
    return accepted[s];
  }

  /** Triggers lost on slot s because the buffer was full (cumulative). */
  public long lost(int s) {
    return lost[s];
  }

  /** Events of slot s flagged {@link EventFlags#TIMESTAMP_ROLLOVER}. */
  public long rolloverFlags(int s) {
    return rollovers[s];
  }

  /** Number of times the board's timestamp counter wrapped up to detector time {@code timeNs}. */
  public long wrapsUntil(long timeNs) {
    return timestampBits == 64 ? 0 : ticks(timeNs) >>> timestampBits;
  }

  /** Slot of a channel number, or −1. */
  public int slotOf(int channel) {
    for (int s = 0; s < slots; s++) {
      if (channelNumber[s] == channel) {
        return s;
      }
    }
    return -1;
  }

  public int channelNumber(int s) {
    return channelNumber[s];
  }

  public boolean isHpge(int s) {
    return hpge[s];
  }

  public long statusSent() {
    return statusSent;
  }

  public long statusDropped() {
    return statusDropped;
  }
}
