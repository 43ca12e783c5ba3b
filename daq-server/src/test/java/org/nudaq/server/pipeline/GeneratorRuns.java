package org.nudaq.server.pipeline;

import java.util.List;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.sim.generator.RecoilRates;

/**
 * The seeded simulated runs that feed the pipeline straight from the event generator (no daemon, no
 * TCP): one set-up for {@link SimulatorPipelineTest} (checked against the ground truth) and
 * {@link PipelineDigest} (a digest to show that a restructuring changed nothing), so that the two
 * cannot drift apart.
 */
final class GeneratorRuns {
  private GeneratorRuns() {}

  /** A flat neutrino rate, counts/(keV·kg·day) (weak 1, no magnetic or millicharge part): the physics model is not under test. */
  static final RecoilRates FLAT = new RecoilRates() {
    @Override
    public double weakPerKeVKgDay(double recoilKeV) {
      return 1.0;
    }

    @Override
    public double magneticPerKeVKgDay(double recoilKeV) {
      return 0;
    }

    @Override
    public double millichargePerKeVKgDay(double recoilKeV) {
      return 0;
    }
  };

  /**
   * The GEMMA-I profile with the simulator seeded (7), raised Compton, noise and burst rates, the
   * reactor ON for {@code onDays} then OFF for {@code offDays} (repeated), a noise burst every
   * {@code burstEveryDays}; the rest of the simulator as configured.
   */
  static NudaqConfig gemma1RaisedRates(double onDays, double offDays, double burstEveryDays) {
    NudaqConfig base = TestConfigs.gemma1();
    SimulatorConfig s = base.simulator();
    SimulatorConfig sim = new SimulatorConfig(7,
        List.of(new SimulatorConfig.ReactorPeriod(true, onDays), new SimulatorConfig.ReactorPeriod(false, offDays)),
        0, 0, 1000, s.xrayLines(), s.tritiumPerKgDay(), 100_000, s.noiseSlopeKeV(), burstEveryDays, 60, 50,
        s.naiSinglesHz(), s.muonHz(), s.hpgeDeadTimeNs(), s.aggregateMaxEvents(), s.aggregateMaxAgeMs(),
        s.statusIntervalSeconds(), s.bufferEvents());
    return TestConfigs.withSimulator(base, sim);
  }
}
