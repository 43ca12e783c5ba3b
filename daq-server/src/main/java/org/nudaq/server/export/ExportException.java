package org.nudaq.server.export;

/**
 * An export that cannot be done or failed: bad input (no session in the range, an output that
 * exists), an unwritable output or a full disk. The message is one line naming what and where; the
 * partial output is already deleted when it is thrown.
 */
public final class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExportException(String message) {
    super(message);
  }

  public ExportException(String message, Throwable cause) {
    super(message, cause);
  }
}
