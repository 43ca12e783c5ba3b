package org.nudaq.server.pipeline;

/**
 * Why an event was rejected: it is invalid or unusable, independent of physics cuts. Rejected events
 * never enter a spectrum.
 *
 * <p>Order of precedence for an HPGe event: {@link #UNKNOWN_CHANNEL}, {@link #LATE}, {@link #FAKE}
 * at arrival; then the veto; then {@link #PILEUP} and {@link #SATURATION} (when configured), then the
 * {@link GateReason gates}. NaI events are rejected only for {@link #UNKNOWN_CHANNEL}, {@link #LATE}
 * and {@link #FAKE} (saturated NaI hits are muons, pile-up NaI hits still veto).
 */
public enum RejectReason {
  /** The board/channel pair is not in the configuration. */
  UNKNOWN_CHANNEL,
  /**
   * The event is older than what the time-ordered merge already emitted (its board was declared
   * idle, or a full buffer forced progress). Processing it would break the time order the veto and
   * the gates depend on, so it is rejected and counted.
   */
  LATE,
  /** The digitizer flagged a fake (test-pulse) event. */
  FAKE,
  /** Pile-up flag, with gates.rejectPileup. */
  PILEUP,
  /** Saturation flag on an HPGe channel, with gates.rejectSaturated. */
  SATURATION;

  /**
   * The reason's name in every output (metrics tag {@code reason}, the HTTP API, run and replay
   * summaries): lower case with underscores, as Prometheus label values are, e.g. {@code saturation}.
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
