package org.nudaq.server.compass;

import static org.assertj.core.api.Assertions.assertThat;

import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * The CoMPASS import's snapshot against a pipeline fed the same records directly, one by one: the import also
 * gives the pipeline status frames (its live-time estimate) and the boards' accepted-trigger counts from them,
 * which the direct feed has not; everything else — every channel's accounting, the totals, every spectrum's
 * counts — must be equal. Shared by the import's tests (plain runs, bulk merge).
 */
final class DirectFeedAssert {
  private DirectFeedAssert() {}

  static void assertSameAsDirectFeed(PipelineSnapshot imported, PipelineSnapshot direct) {
    assertThat(imported.channels()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("boardAcceptedTriggers")
        .isEqualTo(direct.channels());
    assertThat(imported.totals().received()).isEqualTo(direct.totals().received());
    assertThat(imported.totals().gated()).isEqualTo(direct.totals().gated());
    assertThat(imported.totals().rejected()).isEqualTo(direct.totals().rejected());
    assertThat(imported.totals().muons()).isEqualTo(direct.totals().muons());
    assertThat(imported.detectors()).hasSameSizeAs(direct.detectors());
    for (int d = 0; d < direct.detectors().size(); d++) {
      assertThat(imported.detectors().get(d).spectra()).hasSameSizeAs(direct.detectors().get(d).spectra());
      for (int k = 0; k < direct.detectors().get(d).spectra().size(); k++) {
        assertThat(imported.detectors().get(d).spectra().get(k).counts())
            .isEqualTo(direct.detectors().get(d).spectra().get(k).counts());
      }
    }
    assertThat(imported.naiSpectra()).hasSameSizeAs(direct.naiSpectra());
    for (int k = 0; k < direct.naiSpectra().size(); k++) {
      assertThat(imported.naiSpectra().get(k).counts()).isEqualTo(direct.naiSpectra().get(k).counts());
    }
  }
}
