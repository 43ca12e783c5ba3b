package org.nudaq.sim.replay;

/**
 * The journal record layout as documented in docs/journal-and-replay.md ("Format"), which is the
 * contract between the daemon's writer (daq-server) and this independent reader: one Chronicle
 * Queue excerpt per record, raw little-endian bytes, {@code u8 type, i64 wallClockEpochMs, body}.
 * Stateless constants only.
 */
public final class JournalLayout {
  private JournalLayout() {}

  public static final int TYPE_FRAME = 1;
  public static final int TYPE_LINK = 2;
  public static final int TYPE_IDLE = 3;
  public static final int TYPE_REACTOR = 4;
  public static final int TYPE_SESSION = 5;
  public static final int TYPE_RUN = 6;
  public static final int TYPE_CLOSED = 7;
}
