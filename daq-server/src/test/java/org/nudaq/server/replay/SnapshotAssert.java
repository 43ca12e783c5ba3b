package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.PipelineSnapshot;

/** Exact comparison of two pipeline snapshots: every spectrum bin, every live-time double, every count. */
final class SnapshotAssert {
  private SnapshotAssert() {}

  static void assertBitIdentical(PipelineSnapshot actual, PipelineSnapshot expected) {
    assertThat(actual.detectors()).hasSameSizeAs(expected.detectors());
    for (int d = 0; d < expected.detectors().size(); d++) {
      PipelineSnapshot.DetectorSnapshot a = actual.detectors().get(d);
      PipelineSnapshot.DetectorSnapshot e = expected.detectors().get(d);
      // Doubles compared through their bits: equal means bit-identical, not "close".
      assertThat(Double.doubleToRawLongBits(a.liveTimeOnSeconds())).isEqualTo(Double.doubleToRawLongBits(e.liveTimeOnSeconds()));
      assertThat(Double.doubleToRawLongBits(a.liveTimeOffSeconds())).isEqualTo(Double.doubleToRawLongBits(e.liveTimeOffSeconds()));
      assertThat(Double.doubleToRawLongBits(a.liveTimeBeforeGatesOnSeconds()))
          .isEqualTo(Double.doubleToRawLongBits(e.liveTimeBeforeGatesOnSeconds()));
      assertThat(Double.doubleToRawLongBits(a.liveTimeBeforeGatesOffSeconds()))
          .isEqualTo(Double.doubleToRawLongBits(e.liveTimeBeforeGatesOffSeconds()));
      assertThat(a.goodSlices()).isEqualTo(e.goodSlices());
      assertThat(a.badSlices()).isEqualTo(e.badSlices());
      assertThat(a.spectra()).hasSameSizeAs(e.spectra());
      for (int s = 0; s < e.spectra().size(); s++) {
        SpectrumSnapshot as = a.spectra().get(s);
        SpectrumSnapshot es = e.spectra().get(s);
        assertThat(as.labels()).isEqualTo(es.labels());
        assertThat(as.counts()).as("spectrum %s", es.labels().name()).containsExactly(es.counts());
        assertThat(Double.doubleToRawLongBits(as.liveTimeSeconds())).isEqualTo(Double.doubleToRawLongBits(es.liveTimeSeconds()));
        assertThat(as.underflowCount()).isEqualTo(es.underflowCount());
        assertThat(as.overflowCount()).isEqualTo(es.overflowCount());
      }
    }
    assertThat(actual.channels()).hasSameSizeAs(expected.channels());
    for (int c = 0; c < expected.channels().size(); c++) {
      PipelineSnapshot.ChannelSnapshot a = actual.channels().get(c);
      PipelineSnapshot.ChannelSnapshot e = expected.channels().get(c);
      assertThat(a.received()).isEqualTo(e.received());
      assertThat(a.accepted()).isEqualTo(e.accepted());
      assertThat(a.vetoed()).isEqualTo(e.vetoed());
      assertThat(a.rejected()).isEqualTo(e.rejected());
      assertThat(a.gated()).isEqualTo(e.gated());
    }
    assertThat(actual.totals().received()).isEqualTo(expected.totals().received());
    assertThat(actual.totals().lostFrames()).isEqualTo(expected.totals().lostFrames());
  }
}
