package org.nudaq.server.pipeline;

/** Reactor state as the pipeline tracks it; {@link #ordinal()} is the index used in arrays. */
public enum ReactorState {
  OFF,
  ON,
  UNKNOWN;

  /** Wire/status code: 0 off, 1 on, anything else (0xFF on real hardware) unknown. */
  public static int indexOfWireCode(int code) {
    return code == 0 ? 0 : code == 1 ? 1 : 2;
  }

  private static final ReactorState[] VALUES = values();

  /** The state of an array index. */
  public static ReactorState of(int index) {
    return VALUES[index];
  }
}
