package org.nudaq.server.compass;

/**
 * A CoMPASS feed's counts that only add up: events, and per file fake, unmapped and 1024-trigger
 * records — what the segments of a run cut in time (issue 19) add up at the join. Immutable.
 */
record CompassFeedSums(long events, long[] fake, long[] unmapped, long[] triggerFlags) {
  static CompassFeedSums of(CompassFeed feed, int files) {
    long[] f = new long[files];
    long[] u = new long[files];
    long[] t = new long[files];
    for (int i = 0; i < files; i++) {
      f[i] = feed.fake(i);
      u[i] = feed.unmapped(i);
      t[i] = feed.triggerFlags(i);
    }
    return new CompassFeedSums(feed.events(), f, u, t);
  }
}
