package org.nudaq.server.pipeline;

/**
 * Event flag bits as the pipeline reads them. They mirror the digitizer wire specification
 * (org.nudaq.monitor.wire.EventFlags), which owns their definition; the values must stay equal.
 */
final class FlagBits {
  static final int PILEUP = 0x1;
  static final int SATURATION = 0x2;
  static final int LOST_TRIGGERS_BEFORE = 0x4;
  static final int FAKE = 0x8;
  static final int TIMESTAMP_ROLLOVER = 0x10;
  static final int TIMESTAMP_RESET = 0x20;

  private FlagBits() {}
}
