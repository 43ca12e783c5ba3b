package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimeOrderedMergeTest {

  /** Records everything the merge emits. */
  private static final class Recorder implements MergedStream {
    final long[] time;
    final int[] source;
    final int[] adc;
    final int[] flags;
    int count;

    Recorder(int capacity) {
      time = new long[capacity];
      source = new int[capacity];
      adc = new int[capacity];
      flags = new int[capacity];
    }

    @Override
    public void onMergedEvent(int s, long timeNs, int a, int f) {
      time[count] = timeNs;
      source[count] = s;
      adc[count] = a;
      flags[count] = f;
      count++;
    }

    @Override
    public void onWatermark(long timeNs) {}
  }

  /**
   * Board 0's two channels send aggregates of random size (1 to 40 events), as a digitizer does, so
   * one ring keeps a few events while the other fills and drains: the rings are compacted back to
   * slot 0 many times, at every head position. The merge must still emit every event once, in time
   * order (times are distinct, so the expected order is simply the generation order), with its
   * ADC value and flags (here: the event's index and its high bits, to catch a mix-up).
   */
  @Test
  void emitsEveryEventOnceInTimeOrderWhileRingsAreCompacted() {
    ChannelMap map = new ChannelMap(TestConfigs.gemma1());
    int n = 60_000;
    Recorder out = new Recorder(n);
    TimeOrderedMerge merge = new TimeOrderedMerge(map, 4096, 5.0, out);
    SplittableRandom random = new SplittableRandom(5);
    int[][] pending = new int[2][40];
    int[] pendingSize = new int[2];
    int[] aggregate = {1 + random.nextInt(40), 1 + random.nextInt(40)};
    long[] t = new long[n];
    int[] ch = new int[n];
    long now = 0;
    for (int i = 0; i < n; i++) {
      now += 1 + random.nextInt(5_000);
      t[i] = now;
      int c = random.nextDouble() < 0.3 ? 0 : 1;
      ch[i] = c;
      pending[c][pendingSize[c]++] = i;
      if (pendingSize[c] == aggregate[c]) {
        for (int k = 0; k < pendingSize[c]; k++) {
          int j = pending[c][k];
          assertThat(merge.offer(c, t[j], j, j >>> 12)).isTrue();
        }
        pendingSize[c] = 0;
        aggregate[c] = 1 + random.nextInt(40);
      }
    }
    for (int c = 0; c < 2; c++) {
      for (int k = 0; k < pendingSize[c]; k++) {
        int j = pending[c][k];
        merge.offer(c, t[j], j, j >>> 12);
      }
    }
    merge.onBoardStatus(0, now + 1); // the board has sent everything before now + 1

    assertThat(out.count).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(out.time[i]).as("time of emitted event %d", i).isEqualTo(t[i]);
      assertThat(out.adc[i]).as("adc of emitted event %d", i).isEqualTo(i);
      assertThat(out.flags[i]).as("flags of emitted event %d", i).isEqualTo(i >>> 12);
      assertThat(out.source[i]).as("source of emitted event %d", i).isEqualTo(ch[i]);
    }
    assertThat(merge.buffered()).isZero();
    assertThat(merge.forcedEmits()).isZero();
    assertThat(merge.compactions()).isPositive();
  }

  /**
   * Events at the same time from two channels come out in channel (source) order, whichever
   * arrived first and however many there are: the tie rule holds across runs of one source.
   */
  @Test
  void emitsEqualTimesInSourceOrder() {
    ChannelMap map = new ChannelMap(TestConfigs.gemma1());
    Recorder out = new Recorder(16);
    TimeOrderedMerge merge = new TimeOrderedMerge(map, 16, 5.0, out);
    merge.offer(1, 100, 10, 0);
    merge.offer(1, 100, 11, 0);
    merge.offer(1, 200, 12, 0);
    merge.offer(0, 100, 20, 0);
    merge.offer(0, 100, 21, 0);
    merge.offer(0, 150, 22, 0);
    merge.onBoardStatus(0, 1_000);
    assertThat(java.util.Arrays.copyOf(out.adc, out.count)).containsExactly(20, 21, 10, 11, 22, 12);
  }

  /**
   * A channel's events may come slightly out of time order: the newest emitted time is then the largest
   * emitted, not the last one's (the merge takes the last one's only while a ring is in order).
   */
  @Test
  void newestEmittedTimeIsTheLargestEmittedWhenAChannelComesOutOfOrder() {
    ChannelMap map = new ChannelMap(TestConfigs.gemma1());
    Recorder out = new Recorder(200_000);
    TimeOrderedMerge merge = new TimeOrderedMerge(map, 1024, 5.0, out);
    SplittableRandom random = new SplittableRandom(11);
    long[] next = {1000, 1000};
    long newest = Long.MIN_VALUE;
    int seen = 0;
    int lastBelowNewest = 0;
    for (int round = 0; round < 3000; round++) {
      int c = random.nextInt(2);
      merge.beginBatch();
      int m = 1 + random.nextInt(30);
      for (int k = 0; k < m; k++) {
        next[c] += 1 + random.nextInt(3000);
        long t = random.nextInt(4) == 0 ? next[c] - random.nextInt(2500) : next[c];
        merge.offer(c, t, k, 0); // an event below what was emitted is refused (late): fine here
      }
      merge.endBatch();
      for (; seen < out.count; seen++) {
        newest = Math.max(newest, out.time[seen]);
      }
      if (seen > 0) {
        assertThat(merge.emittedNs()).as("round %d", round).isEqualTo(newest);
        lastBelowNewest += out.time[seen - 1] < newest ? 1 : 0;
      }
    }
    assertThat(lastBelowNewest).as("rounds whose last emitted event was not the newest").isGreaterThan(50);
  }
}
