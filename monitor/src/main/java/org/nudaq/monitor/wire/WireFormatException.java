package org.nudaq.monitor.wire;

/**
 * A frame violates the wire protocol. The message names the field, its value and its offset in
 * hex; {@link #reason()} is machine-readable (for metrics), {@link #offset()} is the absolute index
 * in the buffer that was decoded. The connection that produced the frame cannot be trusted any
 * more: the client closes it and reconnects (the protocol has no in-stream resynchronisation).
 */
public final class WireFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final WireError reason;
  private final int offset;

  public WireFormatException(WireError reason, int offset, String message) {
    super(message);
    this.reason = reason;
    this.offset = offset;
  }

  public WireError reason() {
    return reason;
  }

  public int offset() {
    return offset;
  }
}
