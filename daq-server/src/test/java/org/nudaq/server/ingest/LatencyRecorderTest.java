package org.nudaq.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void bucketsCoverEveryValueWithinOneEighthOfAPowerOfTwo() {
    // Each value lies in a bucket whose upper edge is >= it and < value * (1 + 1/8) (+1 for small values).
    long[] values = {0, 1, 7, 8, 9, 15, 16, 17, 100, 1000, 1023, 1024, 1025, 123_456_789L, 1L << 40, (1L << 62) + 12345};
    for (long v : values) {
      long upper = LatencyRecorder.upperBound(LatencyRecorder.bucket(v));
      assertThat(upper).as("upper edge for %d", v).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + v / 8 + 1);
    }
    // Consecutive buckets tile the line: bucket i+1 starts right after bucket i ends.
    for (int i = 0; i < LatencyRecorder.BUCKETS - 1; i++) {
      assertThat(LatencyRecorder.bucket(LatencyRecorder.upperBound(i) + 1)).isEqualTo(i + 1);
    }
  }

  @Test
  void percentilesOfOneToATenThousandAreTheBucketEdgesAboveTheExactRanks() {
    LatencyRecorder r = new LatencyRecorder();
    for (long v = 1; v <= 10_000; v++) {
      r.record(v);
    }
    assertThat(r.count()).isEqualTo(10_000);
    // Exact p50 = 5000: in [4096, 8192) buckets are 512 wide: 4608..5119 holds 5000.
    assertThat(r.valueAtQuantile(0.5)).isEqualTo(5119);
    // Exact p99 = 9900: buckets in [8192, 16384) are 1024 wide: 9216..10239.
    assertThat(r.valueAtQuantile(0.99)).isEqualTo(10_239);
    assertThat(r.valueAtQuantile(1.0)).isEqualTo(10_239);
    LatencyRecorder before = r.copy();
    r.record(3);
    assertThat(r.minus(before).count()).isEqualTo(1);
    assertThat(r.minus(before).valueAtQuantile(0.5)).isEqualTo(3);
  }
}
