package org.nudaq.server.checkpoint;

/**
 * A checkpoint that cannot be used: unreadable, damaged (CRC, truncation, magic, version) or not
 * belonging to the session, configuration or journal at hand. The message names the file and why;
 * {@link #reason()} is the why alone, for logs listing several files.
 */
public final class CheckpointException extends RuntimeException {
  private final String reason;

  public CheckpointException(String file, String reason, Throwable cause) {
    super("checkpoint " + file + ": " + reason, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
