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
}
