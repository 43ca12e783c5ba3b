package org.nudaq.server.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.analysis.ExperimentResult;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.SpectraDirectory;
import org.nudaq.server.daemon.RunSummary;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * What a replay produced: the final pipeline snapshot (spectra, live times, accounting), its input
 * counts and its speed. Immutable.
 *
 * @param config             the configuration the pipeline ran with
 * @param snapshot           the final snapshot (after finish: nothing pending)
 * @param accountingBalances whether received = accepted + vetoed + rejected + gated + pending held
 * @param frames             frames put through the pipeline
 * @param events             events in those frames (or records for CoMPASS)
 * @param skippedFrames      frames outside the --from/--to window
 * @param decodeErrors       frames or records that could not be decoded (counted, skipped)
 * @param elapsedNanos       wall time of the replay, ns
 */
public record ReplayResult(NudaqConfig config, PipelineSnapshot snapshot, boolean accountingBalances, long frames,
    long events, long skippedFrames, long decodeErrors, long elapsedNanos) {

  /** Events per second of wall time. */
  public double eventsPerSecond() {
    return elapsedNanos == 0 ? 0 : events * 1e9 / elapsedNanos;
  }

  /** The running limits from the final ON/OFF spectra after the gates (null if they cannot be computed yet). */
  public ExperimentResult limits() {
    return LimitsInAdvance.onDemand(config).limitsOf(snapshot);
  }

  /**
   * Writes the spectra ({@code spectra/NAME.json}) and {@code replay-summary.json} into {@code dir}, the
   * summary with the {@link #limits()} and ending with {@code extra}'s entries (written once).
   */
  public Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt, Map<String, Object> extra) throws IOException {
    return write(dir, startedAt, stoppedAt, LimitsInAdvance.onDemand(config), extra);
  }

  /**
   * As {@link #write(Path, Instant, Instant, Map)} with the limits of {@code model} (built during the
   * replay, or taking the replay's calibrations) applied to the final snapshot.
   */
  public Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt, LimitsInAdvance model,
      Map<String, Object> extra) throws IOException {
    // Not forced to disk file by file: the output is made again from the journal or the CoMPASS files.
    SpectraDirectory.write(dir.resolve(SpectraDirectory.RUN_SPECTRA), snapshot.detectorSpectra(),
        org.nudaq.monitor.spectrum.SpectrumJson.Durability.UNSYNCED);
    Map<String, Object> summary = new LinkedHashMap<>(RunSummary.of(config, startedAt, stoppedAt, snapshot,
        accountingBalances, List.of(), model.limitsOf(snapshot)));
    Map<String, Object> replay = new LinkedHashMap<>();
    replay.put("frames", frames);
    replay.put("events", events);
    replay.put("skippedFrames", skippedFrames);
    replay.put("decodeErrors", decodeErrors);
    replay.put("elapsedSeconds", elapsedNanos * 1e-9);
    replay.put("eventsPerSecond", eventsPerSecond());
    summary.put("replay", replay);
    summary.putAll(extra);
    RunSummary.write(summary, dir.resolve("replay-summary.json"));
    return summary;
  }
}
