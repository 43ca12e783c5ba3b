package org.nudaq.server.pipeline;

/**
 * Reactor state as the pipeline tracks it; {@link #ordinal()} is the index used in arrays. The per-event
 * path keeps the state as that index (an int, no object load per event): the {@code *_INDEX} constants
 * name the indices, {@link #COUNT} sizes arrays indexed by state, and {@link #WITH_SPECTRA} the states
 * that have spectra (OFF and ON, the first two). Immutable; thread-safe.
 */
public enum ReactorState {
  OFF,
  ON,
  UNKNOWN;

  /** {@code OFF.ordinal()}. */
  public static final int OFF_INDEX = 0;
  /** {@code ON.ordinal()}. */
  public static final int ON_INDEX = 1;
  /** {@code UNKNOWN.ordinal()}: events in it are gated, its time is never analysed. */
  public static final int UNKNOWN_INDEX = 2;
  /** The number of states: the length of an array indexed by state. */
  public static final int COUNT = 3;
  /** The states with spectra, indices 0 until this (OFF and ON). */
  public static final int WITH_SPECTRA = 2;

  private static final ReactorState[] VALUES = values();

  static {
    if (OFF.ordinal() != OFF_INDEX || ON.ordinal() != ON_INDEX || UNKNOWN.ordinal() != UNKNOWN_INDEX
        || VALUES.length != COUNT) {
      throw new AssertionError("ReactorState: the index constants do not match the declaration order");
    }
  }

  /** Wire/status code: 0 off, 1 on, anything else (0xFF on real hardware) unknown. */
  public static int indexOfWireCode(int code) {
    return code == 0 ? OFF_INDEX : code == 1 ? ON_INDEX : UNKNOWN_INDEX;
  }

  /** The state of an array index. */
  public static ReactorState of(int index) {
    return VALUES[index];
  }
}
