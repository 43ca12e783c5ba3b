package org.nudaq.server.daemon;

import java.time.Clock;
import java.time.Instant;

/**
 * The run state the shift crew sets through the control API: a run is started (the run number goes
 * up by one) or stopped. It labels the data (status, metrics, snapshots); acquisition itself goes on
 * either way, so a forgotten "start" never loses events.
 *
 * <p>Thread-safe: all methods synchronise on this object; {@link #state()} returns an immutable value.
 */
public final class RunControl {
  /**
   * @param running   whether a run is in progress
   * @param runNumber the current (or last) run number; 0 before the first start
   * @param changedAt when the state last changed (the daemon's start for the initial state)
   */
  public record State(boolean running, long runNumber, Instant changedAt) {}

  private final Clock clock;
  private State state;

  /** Run starts and stops are journaled by the shift desk (org.nudaq.server.shift), not here. */
  public RunControl(Clock clock) {
    this.clock = clock;
    this.state = new State(false, 0, clock.instant());
  }

  /**
   * Takes over the run state kept from an earlier daemon process (the shift record's files): a run going
   * on continues with its number, and the next start goes on from {@code runNumber}.
   */
  public synchronized void resume(boolean running, long runNumber) {
    state = new State(running, runNumber, state.changedAt());
  }

  public synchronized State state() {
    return state;
  }

  /** Starts a new run (number + 1); starting while running starts the next run. */
  public synchronized State start() {
    state = new State(true, state.runNumber() + 1, clock.instant());
    return state;
  }

  /** Stops the run; stopping while stopped changes nothing. */
  public synchronized State stop() {
    if (state.running()) {
      state = new State(false, state.runNumber(), clock.instant());
    }
    return state;
  }
}
