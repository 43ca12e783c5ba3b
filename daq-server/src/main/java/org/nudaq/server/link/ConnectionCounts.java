package org.nudaq.server.link;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counts of a connection kept made by a {@link Reconnector}: connections made, lost, and attempts
 * that failed; and its state. One of them in a board link's {@link LinkStats} and in the CoMPASS stream's stats.
 *
 * <p>Thread-safety: counted by the Reconnector on the event loop; read from any thread.
 */
public final class ConnectionCounts {
  final AtomicLong connects = new AtomicLong();
  final AtomicLong disconnects = new AtomicLong();
  final AtomicLong connectFailures = new AtomicLong();
  volatile ConnectionState state = ConnectionState.CONNECTING;

  /** Where the connection stands (its metric: {@code nudaq_link_state}). */
  public ConnectionState state() {
    return state;
  }

  /** Connections made. */
  public long connects() {
    return connects.get();
  }

  /** Connections lost or closed. */
  public long disconnects() {
    return disconnects.get();
  }

  /** Attempts to connect that failed. */
  public long connectFailures() {
    return connectFailures.get();
  }
}
