package org.nudaq.server.reactor;

/**
 * A reactor timeline file that cannot be used: the message is one line naming the file and the line
 * ({@code reactor timeline plant.csv line 7: unknown state 'SCRAM' (ON, OFF or UNKNOWN)}). An
 * {@link IllegalArgumentException}, so the CLI reports it as a user error (exit 2, no stack trace).
 */
public final class ReactorTimelineException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ReactorTimelineException(String message) {
    super(message);
  }
}
