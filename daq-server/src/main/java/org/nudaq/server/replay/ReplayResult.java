package org.nudaq.server.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.analysis.ExperimentLimits;
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
    if (!LimitsInAdvance.canHaveLimits(snapshot)) {
      return null; // no ON or no OFF live time: no model to build (it costs ~1-2 s in a cold JVM)
    }
    try {
      return snapshot.updateLimits(ExperimentLimits.forConfig(config));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Writes the spectra ({@code spectra/NAME.json}) and {@code replay-summary.json} into {@code dir}. */
  public Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt) throws IOException {
    return write(dir, startedAt, stoppedAt, Map.of());
  }

  /** As {@link #write(Path, Instant, Instant)}, the summary ending with {@code extra}'s entries (written once). */
  public Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt, Map<String, Object> extra) throws IOException {
    return write(dir, startedAt, stoppedAt, limits(), extra);
  }

  /** As {@link #write(Path, Instant, Instant)} with the limits of a model built during the replay. */
  public Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt, LimitsInAdvance model) throws IOException {
    return write(dir, startedAt, stoppedAt, model, Map.of());
  }

  /** As {@link #write(Path, Instant, Instant, LimitsInAdvance)}, the summary ending with {@code extra}'s entries. */
  public Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt, LimitsInAdvance model,
      Map<String, Object> extra) throws IOException {
    return write(dir, startedAt, stoppedAt, model.limitsOf(snapshot), extra);
  }

  private Map<String, Object> write(Path dir, Instant startedAt, Instant stoppedAt, ExperimentResult limits,
      Map<String, Object> extra) throws IOException {
    SpectraDirectory.write(dir.resolve(SpectraDirectory.RUN_SPECTRA), snapshot.detectorSpectra());
    Map<String, Object> summary = new LinkedHashMap<>(RunSummary.of(config, startedAt, stoppedAt, snapshot,
        accountingBalances, List.of(), limits));
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
