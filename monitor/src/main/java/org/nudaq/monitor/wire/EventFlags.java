package org.nudaq.monitor.wire;

/**
 * Bits of the u16 {@code flags} field of an EVENTS record (protocol version 1). Bits not named
 * here are reserved: writers send 0, readers pass them through unchanged and consumers ignore them.
 * Stateless; thread-safe.
 */
public final class EventFlags {

  /** Another pulse arrived inside this event's shaping/gate window; the energy is unreliable. */
  public static final int PILEUP = 0x0001;
  /** The ADC saturated (signal beyond full scale) inside the gate; energy is a lower bound. */
  public static final int SATURATION = 0x0002;
  /** Triggers were lost on this channel just before this event; the record's count says how many. */
  public static final int LOST_TRIGGERS_BEFORE = 0x0004;
  /** Not a physics trigger (board-generated, e.g. a test pulse or timestamp marker); energy is 0. */
  public static final int FAKE = 0x0008;
  /** The board's timestamp counter wrapped before this event. */
  public static final int TIMESTAMP_ROLLOVER = 0x0010;
  /** The board's timestamp counter was reset (e.g. run restart) before this event. */
  public static final int TIMESTAMP_RESET = 0x0020;
  /** All bits defined in version 1. */
  public static final int DEFINED_MASK = 0x003F;

  private EventFlags() {}

  /** Human-readable form such as {@code "PILEUP|SATURATION"} or {@code "0"}; for logs, not hot paths. */
  public static String describe(int flags) {
    StringBuilder out = new StringBuilder();
    append(out, flags, PILEUP, "PILEUP");
    append(out, flags, SATURATION, "SATURATION");
    append(out, flags, LOST_TRIGGERS_BEFORE, "LOST_TRIGGERS_BEFORE");
    append(out, flags, FAKE, "FAKE");
    append(out, flags, TIMESTAMP_ROLLOVER, "TIMESTAMP_ROLLOVER");
    append(out, flags, TIMESTAMP_RESET, "TIMESTAMP_RESET");
    int unknown = flags & ~DEFINED_MASK;
    if (unknown != 0) {
      if (out.length() > 0) {
        out.append('|');
      }
      out.append(String.format("0x%04X", unknown));
    }
    return out.length() == 0 ? "0" : out.toString();
  }

  private static void append(StringBuilder out, int flags, int bit, String name) {
    if ((flags & bit) != 0) {
      if (out.length() > 0) {
        out.append('|');
      }
      out.append(name);
    }
  }
}
