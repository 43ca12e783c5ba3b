package org.nudaq.server.compass;

import java.util.Arrays;

/**
 * The state of a CoMPASS feed ({@link CompassFeed}) between two slabs, everything its further slabs
 * depend on: where a segment of a run cut in time (issue 19, {@link SegmentedCompassImport}) starts, and
 * what its join compares. Immutable (its arrays are not changed once made).
 *
 * @param slab          slabs fed before
 * @param next          per file, its next record's index (its record count once it ended)
 * @param part          per file, the part holding its next record (its part count once it ended)
 * @param local         per file, its next record's index in that part
 * @param live          per file, whether it has records left
 * @param headPs        per file, its next record's time stamp (null: not read yet)
 * @param widthPs       the next slab's width, ps
 * @param lastPs        the newest time stamp fed, ps
 * @param saved         saved events per compass.channels entry (the live-time model's input)
 * @param scheduleGiven reactor transitions given so far
 */
record CompassFeedState(long slab, long[] next, int[] part, long[] local, boolean[] live, long[] headPs, long widthPs, long lastPs,
    long[] saved, int scheduleGiven) {
  static CompassFeedState runStart(int files) {
    return new CompassFeedState(0, new long[files], new int[files], new long[files], new boolean[files], null,
        CompassFeed.INITIAL_SLAB_PS, -1, null, 0);
  }

  /**
   * At a point of the grid, with every record before it taken as a saved event of its file's first
   * record's channel, and as read from every part's whole records.
   */
  static CompassFeedState guessed(CompassSlabGrid.Point p, int[] savedTargetOf, long[][] partRecords) {
    int n = savedTargetOf.length;
    int[] part = new int[n];
    long[] local = new long[n];
    for (int i = 0; i < n; i++) {
      long before = 0;
      part[i] = partRecords[i].length; // ended, unless a part holds its next record
      for (int k = 0; k < partRecords[i].length; k++) {
        if (p.next()[i] < before + partRecords[i][k]) {
          part[i] = k;
          local[i] = p.next()[i] - before;
          break;
        }
        before += partRecords[i][k];
      }
    }
    int targets = 0;
    for (int t : savedTargetOf) {
      targets = Math.max(targets, t + 1);
    }
    long[] saved = new long[targets];
    for (int i = 0; i < savedTargetOf.length; i++) {
      if (savedTargetOf[i] >= 0) {
        saved[savedTargetOf[i]] += p.next()[i];
      }
    }
    return new CompassFeedState(p.slab(), p.next(), part, local, p.live(), null, p.widthPs(), p.lastPs(), saved, 0);
  }

  static CompassFeedState of(CompassFeed feed, CompassFileChain[] sources, long slab) {
    int n = sources.length;
    long[] next = new long[n];
    int[] part = new int[n];
    long[] local = new long[n];
    boolean[] live = new boolean[n];
    long[] head = new long[n];
    for (int i = 0; i < n; i++) {
      live[i] = feed.live(i);
      next[i] = live[i] ? sources[i].records() - 1 : sources[i].records();
      part[i] = live[i] ? sources[i].part() : sources[i].parts().size();
      local[i] = live[i] ? sources[i].partRecords() - 1 : 0;
      head[i] = live[i] ? feed.headPs(i) : 0;
    }
    ReactorSchedule s = feed.schedule();
    return new CompassFeedState(slab, next, part, local, live, head, feed.widthPs(), feed.lastPs(), feed.saved().clone(),
        s == null ? 0 : s.given());
  }

  /** Null if the feed from {@code o} on does what it does from this state on; else what differs. */
  String differenceFrom(CompassFeedState o) {
    if (!Arrays.equals(next, o.next) || !Arrays.equals(part, o.part) || !Arrays.equals(local, o.local) || !Arrays.equals(live, o.live)
        || !Arrays.equals(headPs, o.headPs)) {
      return "the files' next records differ at the cut: true " + Arrays.toString(next) + ", speculative " + Arrays.toString(o.next);
    }
    if (widthPs != o.widthPs || lastPs != o.lastPs) {
      return "the feed's slab width or newest time stamp differs at the cut";
    }
    if (!Arrays.equals(saved, o.saved)) {
      return "the saved events per channel differ at the cut (fake or unmapped records before it)";
    }
    if (scheduleGiven != o.scheduleGiven) {
      return "the reactor transitions given differ at the cut";
    }
    return null;
  }
}
