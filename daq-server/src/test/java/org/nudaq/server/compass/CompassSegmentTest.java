package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a {@link CompassSegment} tells the thread choosing a segment to cut again before it has fed a slab:
 * the records from its start to its end, not the run's (a segment not started yet looked the biggest victim).
 */
class CompassSegmentTest {
  @Test
  void aSegmentNotStartedHasTheRecordsFromItsStartLeft() {
    // Its start: 60 000 records of file 1 and 40 000 of file 2 fed before it (the feed's count, as at a slab boundary).
    CompassFeedState start = new CompassFeedState(12, new long[] {60_000, 40_000}, new int[2], new long[] {60_000, 40_000},
        new boolean[2], null, CompassFeed.INITIAL_SLAB_PS, 1_000, null, 0);
    CompassSegment toTheEnd = new CompassSegment(null, null, null, null, null, start, 14, Long.MAX_VALUE, Long.MAX_VALUE, true, null, null);
    assertThat(toTheEnd.recordsLeft(250_000)).isEqualTo(250_000 - 100_000);
    assertThat(toTheEnd.recordsLeft(-1)).isEqualTo(-1); // the run's records not counted yet
    CompassSegment ending = new CompassSegment(null, null, null, null, null, start, 14, 40, 180_000, true, null, null);
    assertThat(ending.recordsLeft(250_000)).isEqualTo(180_000 - 100_000);
  }
}
