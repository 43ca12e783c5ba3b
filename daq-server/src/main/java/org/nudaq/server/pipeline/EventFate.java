package org.nudaq.server.pipeline;

/**
 * The final fate of one event in the pipeline: accepted, vetoed by the NaI, rejected for a
 * {@link RejectReason} or gated for a {@link GateReason}. Exports write it per event; its
 * {@link #code()} (the ordinal) is written into every export with its decision and reason, so a
 * reader never depends on this order. Immutable; thread-safe.
 */
public enum EventFate {
  ACCEPTED("accepted", ""),
  VETOED("vetoed", "nai-coincidence"),
  REJECTED_UNKNOWN_CHANNEL("rejected", "unknown-channel"),
  REJECTED_LATE("rejected", "late"),
  REJECTED_FAKE("rejected", "fake"),
  REJECTED_PILEUP("rejected", "pileup"),
  REJECTED_SATURATION("rejected", "saturation"),
  GATED_MUON("gated", "muon"),
  GATED_REACTOR_UNKNOWN("gated", "reactor-unknown"),
  GATED_REACTOR_TRANSITION("gated", "reactor-transition"),
  GATED_DATA_QUALITY("gated", "data-quality"),
  GATED_SLOW_CONTROL("gated", "slow-control");

  private static final EventFate[] VALUES = values();
  private static final EventFate[] BY_REJECT = {REJECTED_UNKNOWN_CHANNEL, REJECTED_LATE, REJECTED_FAKE, REJECTED_PILEUP,
      REJECTED_SATURATION};
  private static final EventFate[] BY_GATE = {GATED_MUON, GATED_REACTOR_UNKNOWN, GATED_REACTOR_TRANSITION, GATED_DATA_QUALITY,
      GATED_SLOW_CONTROL};

  private final String decision;
  private final String reason;

  EventFate(String decision, String reason) {
    this.decision = decision;
    this.reason = reason;
  }

  /** {@code accepted}, {@code vetoed}, {@code rejected} or {@code gated}. */
  public String decision() {
    return decision;
  }

  /** Why, e.g. {@code pileup} or {@code muon}; empty for accepted. */
  public String reason() {
    return reason;
  }

  /** The code written per event (0..{@code values().length - 1}). */
  public int code() {
    return ordinal();
  }

  /** The fate of a code. */
  public static EventFate ofCode(int code) {
    return VALUES[code];
  }

  /** The fate of a reject reason. */
  public static EventFate of(RejectReason reason) {
    return BY_REJECT[reason.ordinal()];
  }

  /** The fate of a gate reason. */
  public static EventFate of(GateReason reason) {
    return BY_GATE[reason.ordinal()];
  }

  /** The reject reason of a rejected fate, or null. */
  public RejectReason rejectReason() {
    for (int i = 0; i < BY_REJECT.length; i++) {
      if (BY_REJECT[i] == this) {
        return RejectReason.values()[i];
      }
    }
    return null;
  }

  /** The gate reason of a gated fate, or null. */
  public GateReason gateReason() {
    for (int i = 0; i < BY_GATE.length; i++) {
      if (BY_GATE[i] == this) {
        return GateReason.values()[i];
      }
    }
    return null;
  }
}
