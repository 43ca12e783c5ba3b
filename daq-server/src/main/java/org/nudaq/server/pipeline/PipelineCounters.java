package org.nudaq.server.pipeline;

/**
 * The event accounting: per source, every received event ends up in exactly one of accepted,
 * vetoed, rejected (by reason) or gated (by reason), or is still pending. Events of unknown
 * board/channel have no source and are counted in {@link #unknownChannel}. Lost frames and lost
 * triggers reported by the boards are kept apart (they were never received).
 *
 * <p>Single-threaded (the pipeline thread).
 */
final class PipelineCounters {
  final long[] received;
  final long[] accepted;
  final long[] vetoed;
  final long[][] rejected;
  final long[][] gated;
  /** Sum of lostTriggersBefore of events flagged LOST_TRIGGERS_BEFORE. */
  final long[] lostTriggersFlagged;
  /** Cumulative lost triggers of the latest status frame. */
  final long[] lostTriggersReported;
  /** Cumulative accepted triggers of the latest status frame. */
  final long[] boardAcceptedTriggers;
  final long[] lostFrames;
  final long[] timestampRollovers;
  final long[] timestampResets;
  long unknownChannel;

  PipelineCounters(int sources, int boards) {
    received = new long[sources];
    accepted = new long[sources];
    vetoed = new long[sources];
    rejected = new long[RejectReason.values().length][sources];
    gated = new long[GateReason.values().length][sources];
    lostTriggersFlagged = new long[sources];
    lostTriggersReported = new long[sources];
    boardAcceptedTriggers = new long[sources];
    lostFrames = new long[boards];
    timestampRollovers = new long[sources];
    timestampResets = new long[sources];
  }

  /** Decided events of a source: accepted + vetoed + rejected + gated. */
  long decided(int s) {
    long n = accepted[s] + vetoed[s];
    for (long[] r : rejected) {
      n += r[s];
    }
    for (long[] g : gated) {
      n += g[s];
    }
    return n;
  }

  static long sum(long[] a) {
    long n = 0;
    for (long v : a) {
      n += v;
    }
    return n;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("CNTR");

  void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putSumLongs(received);
    out.putSumLongs(accepted);
    out.putSumLongs(vetoed);
    out.putInt(rejected.length);
    for (long[] r : rejected) {
      out.putSumLongs(r);
    }
    out.putInt(gated.length);
    for (long[] g : gated) {
      out.putSumLongs(g);
    }
    out.putSumLongs(lostTriggersFlagged);
    out.putLongs(lostTriggersReported);
    out.putLongs(boardAcceptedTriggers);
    out.putSumLongs(lostFrames);
    out.putSumLongs(timestampRollovers);
    out.putSumLongs(timestampResets);
    out.putSumLong(unknownChannel);
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "counters");
    in.getLongs("counters.received", received);
    in.getLongs("counters.accepted", accepted);
    in.getLongs("counters.vetoed", vetoed);
    // A reason added in a later version changes these counts: refuse rather than misassign.
    in.expectInt("counters.rejected reasons", rejected.length);
    for (int r = 0; r < rejected.length; r++) {
      in.getLongs("counters.rejected[" + r + "]", rejected[r]);
    }
    in.expectInt("counters.gated reasons", gated.length);
    for (int g = 0; g < gated.length; g++) {
      in.getLongs("counters.gated[" + g + "]", gated[g]);
    }
    in.getLongs("counters.lostTriggersFlagged", lostTriggersFlagged);
    in.getLongs("counters.lostTriggersReported", lostTriggersReported);
    in.getLongs("counters.boardAcceptedTriggers", boardAcceptedTriggers);
    in.getLongs("counters.lostFrames", lostFrames);
    in.getLongs("counters.timestampRollovers", timestampRollovers);
    in.getLongs("counters.timestampResets", timestampResets);
    unknownChannel = in.getLong();
  }
}
