package org.nudaq.server.export;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * What an export writes besides the events, known at its end: the pipeline's final snapshot
 * (spectra with live times, accounting), the channels with their calibration, the reactor-state
 * changes, the runs, and the configuration text with where the input came from. Immutable once built.
 *
 * @param input        where the events came from, e.g. {@code journal /data/journal session 3 of 3}
 * @param configSource the configuration's file name (or journal:FILE)
 * @param configYaml   the configuration text the pipeline ran with
 * @param snapshot     the pipeline's final snapshot (after finish)
 * @param sources      the configured channels by source index
 * @param reactor      reactor-state changes in data time
 * @param runs         run start/stop records (journal only; empty for CoMPASS)
 * @param events       events exported
 */
record ExportTables(String input, String configSource, String configYaml, PipelineSnapshot snapshot,
    List<EventPipeline.Source> sources, ReactorTable reactor, List<RunRecord> runs, long events) {

  /**
   * A RUN record of the journal.
   *
   * @param wallClockEpochMs when the daemon journaled it, epoch ms
   * @param running          true for a start, false for a stop
   * @param runNumber        the run number
   */
  record RunRecord(long wallClockEpochMs, boolean running, long runNumber) {}

  /** Every spectrum: per HPGe detector [stage][state], then the NaI spectra. */
  List<SpectrumSnapshot> spectra() {
    List<SpectrumSnapshot> out = new ArrayList<>();
    for (PipelineSnapshot.DetectorSnapshot d : snapshot.detectors()) {
      out.addAll(d.spectra());
    }
    out.addAll(snapshot.naiSpectra());
    return out;
  }
}
