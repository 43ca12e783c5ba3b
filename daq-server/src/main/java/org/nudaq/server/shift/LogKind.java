package org.nudaq.server.shift;

/**
 * What a logbook entry is about. The ordinal is journaled (LOGBOOK record): append new kinds at the end.
 */
public enum LogKind {
  /** A run started (automatic, from the RUN_START record). */
  RUN_START,
  /** A run stopped (automatic, from the RUN_STOP record). */
  RUN_STOP,
  /** The reactor state changed (automatic). */
  REACTOR,
  /** An alert was raised or cleared (the daemon's own checks, or Alertmanager's webhook). */
  ALERT,
  /** A calibration changed (automatic, for the online calibration to call). */
  CALIBRATION,
  /** Written by a person through the control API. */
  OPERATOR,
  /** A slow-control rule became violated or satisfied again (automatic, from the readings). */
  SLOW_CONTROL;

  private static final LogKind[] VALUES = values();

  /** The kind of a journaled ordinal, or null for one this version does not know. */
  public static LogKind ofOrdinal(int ordinal) {
    return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : null;
  }
}
