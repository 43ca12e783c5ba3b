package org.nudaq.sim.replay;

/** A journal that cannot be replayed; the message names the directory and what is wrong. */
public final class ReplayException extends RuntimeException {
  public ReplayException(String message) {
    super(message);
  }

  public ReplayException(String message, Throwable cause) {
    super(message, cause);
  }
}
