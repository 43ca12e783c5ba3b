package org.nudaq.server.pipeline;

/**
 * Saved pipeline state that cannot be restored: truncated, out of step with the layout, or taken
 * with another configuration (array sizes differ). The message carries the offset in hex.
 */
public final class StateFormatException extends RuntimeException {
  private final int offset;

  public StateFormatException(String message, int offset) {
    super("pipeline state offset=0x" + Integer.toHexString(offset) + ": " + message);
    this.offset = offset;
  }

  /** Offset from the start of the state where the problem was found, bytes. */
  public int offset() {
    return offset;
  }
}
