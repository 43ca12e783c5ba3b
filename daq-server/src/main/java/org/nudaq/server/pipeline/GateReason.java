package org.nudaq.server.pipeline;

/**
 * Why a valid, unvetoed HPGe event was gated out. The time the gate covers is also subtracted from
 * the live time after gates, so gated events and excluded live time always go together.
 */
public enum GateReason {
  /** Within veto.muonDeadTimeNs after a muon in the NaI shield. */
  MUON,
  /** The reactor state is not known (no status or control information yet, or 0xFF). */
  REACTOR_UNKNOWN,
  /** Within gates.reactorMarginSeconds after a reactor ON/OFF change. */
  REACTOR_TRANSITION,
  /** In a data-quality slice found noisy. */
  DATA_QUALITY,
  /** While a slow-control data-quality rule is violated (slowControl.rules, {@link SlowControlGate}). */
  SLOW_CONTROL;

  /**
   * The reason's name in every output (metrics tag {@code reason}, the HTTP API, run and replay
   * summaries): lower case with underscores, as Prometheus label values are, e.g. {@code data_quality}.
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
