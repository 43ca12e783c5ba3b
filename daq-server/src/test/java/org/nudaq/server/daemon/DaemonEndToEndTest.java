package org.nudaq.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon against the real simulator over TCP on 127.0.0.1: every event accounted for, the veto
 * against the simulator's ground truth, live times to 1e-6, and the limits recovering an injected
 * magnetic moment.
 */
class DaemonEndToEndTest {
  private static final double ON_DAYS = 40;
  private static final double OFF_DAYS = 20;

  @Test
  void everyEventIsAccountedForLiveTimesMatchTheTruthAndTheVetoRemovesComptonEvents(@TempDir Path dir) throws Exception {
    SimulatedRun run = SimulatedRun.start(SimulatedRun.gemma1Closure(ON_DAYS, OFF_DAYS, 0, 21), ON_DAYS + OFF_DAYS, "", dir);
    JsonNode truth = null;
    JsonNode summary;
    try {
      summary = run.finish(180);
    } finally {
      truth = run.truth();
    }
    JsonNode acc = summary.get("accounting");
    assertThat(acc.get("balances").asBoolean()).isTrue();
    assertThat(acc.get("pending").asLong()).isZero();

    // Every event the boards sent arrived and was booked: per channel and in total.
    long sent = 0;
    JsonNode truthChannels = truth.get("boards").get(0).get("channels");
    for (int i = 0; i < truthChannels.size(); i++) {
      long sentHere = truthChannels.get(i).get("sentEvents").asLong();
      sent += sentHere;
      assertThat(acc.get("channels").get(i).get("received").asLong()).as("channel %d", i).isEqualTo(sentHere);
      assertThat(truthChannels.get(i).get("lostTriggers").asLong()).isZero();
    }
    assertThat(acc.get("received").asLong()).isEqualTo(sent);
    JsonNode hpge = acc.get("channels").get(0);
    long decided = hpge.get("accepted").asLong() + hpge.get("vetoed").asLong() + sum(hpge.get("rejected")) + sum(hpge.get("gated"));
    assertThat(decided).isEqualTo(hpge.get("received").asLong());

    // Live time before the data-quality cuts: board real time minus dead time, per reactor state.
    JsonNode det = summary.get("detectors").get(0);
    JsonNode trueDet = truth.get("generator").get("detectors").get(0);
    double on = trueDet.get("liveTimeSecondsOn").asDouble();
    double off = trueDet.get("liveTimeSecondsOff").asDouble();
    assertThat(on).isCloseTo(ON_DAYS * 86_400, within(ON_DAYS * 86_400 * 1e-3));
    assertThat(det.get("liveTimeBeforeGatesOnSeconds").asDouble()).isCloseTo(on, within(on * 1e-6));
    assertThat(det.get("liveTimeBeforeGatesOffSeconds").asDouble()).isCloseTo(off, within(off * 1e-6));

    // The veto: every simulated Compton event (HPGe + NaI within 200 ns) is vetoed; beyond them only
    // chance coincidences: non-Compton HPGe events × NaI rate above threshold × the 3 µs window.
    long compton = trueDet.get("triggered").get("compton_hpge").asLong();
    long vetoed = hpge.get("vetoed").asLong();
    long hpgeEvents = hpge.get("received").asLong();
    double naiAboveThresholdHz = truth.get("boards").get(0).get("channels").get(1).get("sentEvents").asDouble()
        / ((ON_DAYS + OFF_DAYS) * 86_400);
    double expectedFalse = (hpgeEvents - compton) * naiAboveThresholdHz * 3e-6;
    assertThat(compton).isGreaterThan(10_000);
    assertThat(vetoed).isGreaterThanOrEqualTo(compton);
    assertThat((double) (vetoed - compton)).isLessThanOrEqualTo(expectedFalse + 5 * Math.sqrt(expectedFalse) + 3);

    // No signal injected: the estimate is compatible with zero and the limit near the expected one.
    JsonNode limits = summary.get("limits");
    assertThat(Math.abs(limits.get("muHat2").asDouble() / limits.get("muSigma2").asDouble())).isLessThan(3);
    double ratio = limits.get("muLimit").asDouble() / limits.get("muExpected").asDouble();
    assertThat(ratio).isBetween(0.3, 2.0);
  }

  @Test
  void aMagneticMomentFiveTimesTheGemmaOneLimitIsRecoveredWithinTwoSigma(@TempDir Path dir) throws Exception {
    double mu = 5 * 2.9e-11;
    SimulatedRun run = SimulatedRun.start(SimulatedRun.gemma1Closure(ON_DAYS, OFF_DAYS, mu, 22), ON_DAYS + OFF_DAYS, "", dir);
    JsonNode limits = run.finish(180).get("limits");
    double hat = limits.get("muHat2").asDouble();
    double sigma = limits.get("muSigma2").asDouble();
    assertThat(Math.abs(hat - mu * mu)).as("μ̂² = %s ± %s, injected %s", hat, sigma, mu * mu).isLessThan(2 * sigma);
    assertThat(hat / sigma).as("the signal is seen").isGreaterThan(2);
  }

  private static long sum(JsonNode byReason) {
    long s = 0;
    for (JsonNode v : byReason) {
      s += v.asLong();
    }
    return s;
  }
}
