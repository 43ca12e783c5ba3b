package org.nudaq.server.snapshot;

/**
 * A state snapshot that cannot be used: unreadable, damaged (CRC, truncation, magic, version) or not
 * belonging to the session, configuration or journal at hand. The message names the file and why;
 * {@link #reason()} is the why alone, for logs listing several files.
 */
public final class SnapshotException extends RuntimeException {
  private final String reason;

  public SnapshotException(String file, String reason, Throwable cause) {
    super("state snapshot " + file + ": " + reason, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
