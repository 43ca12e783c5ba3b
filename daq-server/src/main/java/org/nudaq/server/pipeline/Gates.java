package org.nudaq.server.pipeline;

import org.nudaq.monitor.wire.EventFlags;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.VetoConfig;

/**
 * Which cut applies to an HPGe event when it enters the look-ahead: the flag cuts (pile-up, saturation,
 * as configured), the muon gate after an NaI muon, the UNKNOWN reactor state and the transition margins
 * after a reactor-state change; and the NaI veto hit before the event. Its answer is a cut code:
 * {@link #CANDIDATE} (no cut: the event waits for the veto window and its data-quality slice), a
 * {@link RejectReason} ({@link #REJECT_BASE} + ordinal) or a {@link GateReason} ({@link #GATE_BASE} +
 * ordinal), small enough to pack into a look-ahead entry.
 *
 * <p>The muon and margin gates together cover time up to {@link #gatedUntilNs()}: one cursor, the
 * latest end of any gate, so overlapping gates are never counted twice when gated time is booked
 * (this is also why an HPGe event at or after it is cut by neither).
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class Gates {
  /** The cut code of an event no cut applies to. */
  static final int CANDIDATE = 0;
  /** Cut codes {@code REJECT_BASE + RejectReason.ordinal()}. */
  static final int REJECT_BASE = 1;
  /** Cut codes {@code GATE_BASE + GateReason.ordinal()}. */
  static final int GATE_BASE = 16;

  final long windowBeforeNs;
  final long muonDeadTimeNs;
  final long marginNs;
  private final boolean rejectPileup;
  private final boolean rejectSaturated;
  /** The flag bits that reject an HPGe event (pile-up and saturation, as configured). */
  final int rejectFlags;

  private long lastVetoHitNs = Long.MIN_VALUE / 2;
  private long muonUntilNs = Long.MIN_VALUE;
  private long marginUntilNs = Long.MIN_VALUE;
  /** max(muonUntilNs, marginUntilNs): the end of the gated time; an HPGe event at or after it is gated by neither. */
  private long gatedUntilNs = Long.MIN_VALUE;
  private long muons;
  /** Slow-control rules in data time (issue 18): while one is violated, events are gated and time is gated. */
  private SlowControlGate slowControl = new SlowControlGate(org.nudaq.monitor.config.SlowControlConfig.NONE);

  Gates(VetoConfig veto, GateConfig gates) {
    windowBeforeNs = veto.windowBeforeNs();
    muonDeadTimeNs = veto.muonDeadTimeNs();
    marginNs = Math.round(gates.reactorMarginSeconds() * 1e9);
    rejectPileup = gates.rejectPileup();
    rejectSaturated = gates.rejectSaturated();
    rejectFlags = (rejectPileup ? EventFlags.PILEUP : 0) | (rejectSaturated ? EventFlags.SATURATION : 0);
  }

  /**
   * Per reactor state index: nonzero where no event is a candidate (UNKNOWN), or-ed into the flag test of
   * {@link #cutCode}. Why (issue 19, JIT): a test of its own for the UNKNOWN state was a branch that the
   * profile of the inlined per-event loops rarely saw taken, so C2 compiled it as a trap (a deopt of the loop
   * the first time the state was UNKNOWN after warm-up); the flag test's other side is taken by every event a
   * flag cut applies to (pile-up, saturation), when those cuts are on.
   */
  private static final int[] NO_CANDIDATE_STATE = noCandidateStates();

  private static int[] noCandidateStates() {
    int[] bits = new int[ReactorState.COUNT];
    bits[ReactorState.UNKNOWN_INDEX] = 1;
    return bits;
  }

  /** The cut code of an HPGe event at {@code t} with these flags while the reactor state index is {@code state}. */
  int cutCode(long t, int flags, int state) {
    // Fast test for the common case (no cut applies); the chain below gives the precedence otherwise. One
    // branch (issue 19, JIT, NoBranch): the gated-time test or-ed into the flag test, where two tests (&&) were
    // two branches, the flag test's rarely taken in some profiles (a pile-up flag is 1 % of events) and so
    // compiled as an uncommon trap; the combined one is taken by every cut event (the muon gate's too).
    int cut = (flags & rejectFlags) | NO_CANDIDATE_STATE[state] | NoBranch.lessThan(t, gatedUntilNs);
    return cut == 0 ? CANDIDATE : firstCut(t, flags, state);
  }

  /** The first cut that applies, in order of precedence (or CANDIDATE if none). */
  private int firstCut(long t, int flags, int state) {
    int code;
    if (rejectPileup && (flags & EventFlags.PILEUP) != 0) {
      code = REJECT_BASE + RejectReason.PILEUP.ordinal();
    } else if (rejectSaturated && (flags & EventFlags.SATURATION) != 0) {
      code = REJECT_BASE + RejectReason.SATURATION.ordinal();
    } else if (t < muonUntilNs) {
      code = GATE_BASE + GateReason.MUON.ordinal();
    } else if (slowControl.excluding()) {
      code = GATE_BASE + GateReason.SLOW_CONTROL.ordinal();
    } else if (state == ReactorState.UNKNOWN_INDEX) {
      code = GATE_BASE + GateReason.REACTOR_UNKNOWN.ordinal();
    } else if (t < marginUntilNs) {
      code = GATE_BASE + GateReason.REACTOR_TRANSITION.ordinal();
    } else {
      code = CANDIDATE;
    }
    return code;
  }

  /** Whether a cut code is a gate (else a reject, unless CANDIDATE). */
  static boolean isGate(int cutCode) {
    return cutCode >= GATE_BASE;
  }

  /** An NaI hit above the veto threshold at {@code t}. */
  void onVetoHit(long t) {
    lastVetoHitNs = t;
  }

  /** The time of the last NaI veto hit, ns (far in the past before the first). */
  long lastVetoHitNs() {
    return lastVetoHitNs;
  }

  /** Whether an NaI hit up to veto.windowBeforeNs before {@code t} vetoes an HPGe event at {@code t}. */
  boolean vetoedByEarlierHit(long t) {
    return lastVetoHitNs >= t - windowBeforeNs;
  }

  /**
   * An NaI muon at {@code t}: the muon gate reaches {@code t + muonDeadTimeNs}, which is returned. The
   * caller books the time up to the muon before it moves the gated time on ({@link #gateUntil}).
   */
  long onMuon(long t) {
    muons++;
    long until = t + muonDeadTimeNs;
    if (until > muonUntilNs) {
      muonUntilNs = until;
    }
    return until;
  }

  /** Gated time now reaches at least {@code untilNs}. */
  void gateUntil(long untilNs) {
    if (untilNs > gatedUntilNs) {
      gatedUntilNs = untilNs;
    }
  }

  /**
   * A reactor-state change from state index {@code from} to {@code to} at {@code atNs} applied when the
   * clock is at {@code clockNs}: between two known states, the transition margin is gated from the later
   * of the two on. Time up to the clock is already booked.
   */
  void onStateChange(long atNs, long clockNs, int from, int to) {
    if (to != from && to != ReactorState.UNKNOWN_INDEX && from != ReactorState.UNKNOWN_INDEX && marginNs > 0) {
      long until = Math.max(atNs, clockNs) + marginNs;
      if (until > marginUntilNs) {
        marginUntilNs = until;
      }
      gateUntil(until);
    }
  }

  /** Uses {@code gate} for the slow-control rules (set once, before any input). */
  void useSlowControl(SlowControlGate gate) {
    slowControl = gate;
  }

  /** The data time of the next slow-control rule boundary not applied yet, or Long.MAX_VALUE. */
  long nextSlowControlBoundaryNs() {
    return slowControl.nextBoundaryNs();
  }

  /**
   * Applies slow-control boundaries up to {@code t} (the clock; time up to it is booked): while a rule
   * is violated the gated time reaches the end of time (every event gated, all real time gated), and
   * when the last one clears it falls back to the muon and transition gates, or to {@code t}.
   */
  void applySlowControlUpTo(long t) {
    if (t < slowControl.nextBoundaryNs()) {
      return; // nothing due (the common case: one comparison)
    }
    boolean was = slowControl.excluding();
    slowControl.applyUpTo(t);
    boolean now = slowControl.excluding();
    if (now && !was) {
      gatedUntilNs = Long.MAX_VALUE;
    } else if (was && !now) {
      gatedUntilNs = Math.max(Math.max(muonUntilNs, marginUntilNs), t);
    }
  }

  /** The end of the gated time (muon, margin and slow-control gates), ns. */
  long gatedUntilNs() {
    return gatedUntilNs;
  }

  long muons() {
    return muons;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  /**
   * Writes the cursors. State format 3 holds the gated-time end twice (an earlier version kept the same
   * value under two names); it is written twice and the later of the two restored.
   */
  void saveState(StateWriter out) {
    out.putLong(lastVetoHitNs);
    out.putLong(muonUntilNs);
    out.putLong(marginUntilNs);
    out.putLong(gatedUntilNs);
    out.putLong(gatedUntilNs);
    out.putSumLong(muons);
  }

  void restoreState(StateReader in) {
    lastVetoHitNs = in.getLong();
    muonUntilNs = in.getLong();
    marginUntilNs = in.getLong();
    long first = in.getLong();
    gatedUntilNs = Math.max(first, in.getLong());
    muons = in.getLong();
  }
}
