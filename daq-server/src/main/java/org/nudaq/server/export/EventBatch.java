package org.nudaq.server.export;

/**
 * A block of exported events, one primitive array per column (the export's unit of work: filled by
 * {@link EventCollector}, written by an {@link ExportWriter}, then reused). Column meanings and units
 * are those of docs/export.md. Not thread-safe; one thread fills and writes it.
 */
public final class EventBatch {
  /** Trigger time, ns since the boards' run start (data time); −1 for an unknown board. */
  final long[] timeNs;
  final int[] board;
  final int[] channel;
  /** Source index (the channels table), −1 for an unconfigured channel. */
  final int[] source;
  final int[] energyAdc;
  /** The pipeline's calibration of energyAdc, keV (NaN for an unconfigured channel). */
  final double[] energyKeV;
  final int[] flags;
  /** {@link org.nudaq.server.pipeline.ReactorState} ordinal. */
  final byte[] reactorState;
  /**
   * Thermal power, fraction of nominal, of the reactor table's change at or before the event's time;
   * NaN for an event that never reached the reactor state (unknown channel, rejected late or fake).
   */
  final double[] reactorPower;
  /** {@link org.nudaq.server.pipeline.EventFate} code. */
  final byte[] fate;
  int size;

  /** @param capacity rows */
  public EventBatch(int capacity) {
    timeNs = new long[capacity];
    board = new int[capacity];
    channel = new int[capacity];
    source = new int[capacity];
    energyAdc = new int[capacity];
    energyKeV = new double[capacity];
    flags = new int[capacity];
    reactorState = new byte[capacity];
    reactorPower = new double[capacity];
    fate = new byte[capacity];
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return timeNs.length;
  }

  boolean full() {
    return size == timeNs.length;
  }

  /** Bytes per row held in memory. */
  static final int ROW_BYTES = 8 + 4 + 4 + 4 + 4 + 8 + 4 + 1 + 8 + 1;
}
