package org.nudaq.monitor.calibration;

/** What one calibration attempt of a channel came to. */
public enum CalibrationStatus {
  /** A new calibration from the recent window: applied. */
  CALIBRATED(true),
  /** The newest data moved beyond the step criteria: a new epoch from the newest data alone, window restarted. */
  STEP(true),
  /** Too few counts in the lines: the last good calibration stays. */
  TOO_FEW_COUNTS(false),
  /** Lines found but the fits failed or disagree with each other: the last good calibration stays. */
  FIT_FAILED(false);

  private final boolean applied;

  CalibrationStatus(boolean applied) {
    this.applied = applied;
  }

  /** Whether the attempt gives a calibration to apply. */
  public boolean applied() {
    return applied;
  }
}
