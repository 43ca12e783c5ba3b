package org.nudaq.server.link;

import java.util.Locale;

/**
 * Where a connection kept made by a {@link Reconnector} stands: what an operator needs to tell a board that
 * works from one being retried (off, unplugged, or a finished run that only says HELLO and GOODBYE). The metric
 * {@code nudaq_link_state{state}} is 1 for the current one.
 */
public enum ConnectionState {
  /** Started, no connection has worked yet. */
  CONNECTING,
  /** A connection delivers data (a board's first EVENTS or STATUS frame). */
  CONNECTED,
  /** The connection failed or was lost: attempts go on with the capped backoff. */
  RETRYING,
  /** The daemon stopped it. */
  CLOSED;

  /** The metric's label value: the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
