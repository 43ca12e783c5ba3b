package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.server.Pacing;

/**
 * The reactor state reaches the daemon's live time at its time even when the simulator runs far ahead
 * of the daemon: at full speed with 1 s STATUS frames and few events, the board's STATUS quota (4096
 * frames) overflows. Before the board buffer kept every state change the daemon booked ON time
 * after a missed OFF→ON transition as OFF (here 0.45 days of OFF live time for the 0.3-day OFF period),
 * and before it held the latest dropped STATUS the time from the last queued one to the end of the
 * run was never booked (here ~1 hour of ON). Real simulator, real daemon, TCP on 127.0.0.1.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReactorTransitionOverTcpTest {

  @Test
  void aThirdOfADayOffIsBookedAsAThirdOfADayOffAtFullSpeed(@TempDir Path dir) throws Exception {
    NudaqConfig base = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    SimulatorConfig s = base.simulator();
    // OFF 0.3 days, then ON; NaI singles and muons lowered so that the generator, not the events, sets the
    // pace and the STATUS frames (one per detector second) pile up.
    SimulatorConfig sim = new SimulatorConfig(7,
        List.of(new SimulatorConfig.ReactorPeriod(false, 0.3), new SimulatorConfig.ReactorPeriod(true, 10)),
        0, 0, s.comptonPerKeVKgDay(), List.of(), 0, s.noisePerKgDay(), s.noiseSlopeKeV(), 0,
        s.burstDurationSeconds(), s.burstRateHz(), 0.05, 0.01, s.hpgeDeadTimeNs(), s.aggregateMaxEvents(),
        s.aggregateMaxAgeMs(), 1, s.bufferEvents());
    SimulatorToDaemon run = SimulatorToDaemon.start(base.withSimulator(sim), Pacing.max(), 1.0, "", dir.resolve("data"));
    JsonNode summary;
    JsonNode truth;
    try {
      summary = run.finish(150);
      truth = run.truth();
    } finally {
      run.close();
    }
    JsonNode board = truth.get("boards").get(0);
    JsonNode detector = summary.get("detectors").get(0);
    double offSeconds = detector.get("liveTimeBeforeGatesOffSeconds").asDouble();
    double onSeconds = detector.get("liveTimeBeforeGatesOnSeconds").asDouble();
    String context = "daemon " + detector + "; simulator board " + board;
    // Live time before the gates: 0.3 and 0.7 days less the HPGe dead time (10 µs per trigger, ~1e-5).
    assertThat(offSeconds / 86_400).as(context).isCloseTo(0.3, within(0.001));
    assertThat(onSeconds / 86_400).as(context).isCloseTo(0.7, within(0.001));
    // The quota really overflowed, else this test shows nothing.
    assertThat(board.get("statusDroppedBufferFull").asLong()).as(context).isPositive();
  }
}
