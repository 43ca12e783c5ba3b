package org.nudaq.server.pipeline;

/**
 * Saved pipeline state that cannot be restored: truncated, out of step with the layout, or taken
 * with another configuration (array sizes differ). The message says where, as "at byte 0x… of the
 * pipeline state" (from the start of the state; the checkpoint reader names the file).
 */
public final class StateFormatException extends RuntimeException {
  private final int offset;

  public StateFormatException(String message, int offset) {
    super("at byte 0x" + Integer.toHexString(offset) + " of the pipeline state: " + message);
    this.offset = offset;
  }

  /** Offset from the start of the state where the problem was found, bytes. */
  public int offset() {
    return offset;
  }
}
