package org.nudaq.server.http;

/** The control token file cannot be used (unsafe permissions, unreadable, empty); names the file. */
public final class ControlTokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ControlTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
