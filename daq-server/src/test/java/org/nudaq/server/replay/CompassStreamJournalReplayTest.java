package org.nudaq.server.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nudaq.monitor.config.CompassConfig;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.compass.CompassStreamStats;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.pipeline.PipelineSnapshot;
import org.nudaq.server.stress.SimulatorToDaemon;
import org.nudaq.sim.caen.CaenSimulation;
import org.nudaq.sim.caen.CompassStreamServer;
import org.nudaq.sim.server.Pacing;

/**
 * The whole daemon with {@code compass.stream}: it connects to the simulator's CoMPASS TCP stream
 * mid-run, journals what it decodes like any board's frames and processes it; a replay of its journal
 * gives the same spectra bit for bit, and every event decoded reached the pipeline.
 */
class CompassStreamJournalReplayTest {

  @Test
  void daemonReadingTheCompassStreamJournalsFramesThatReplayToIdenticalSpectra(@TempDir Path dir) throws Exception {
    NudaqConfig base = SimulatorToDaemon.gemma1(2_000, 8);
    CompassStreamConfig layout = new CompassStreamConfig("127.0.0.1", 1, true, false, false, 64, 3600);
    NudaqConfig simConfig = base.withCompass(new CompassConfig(base.compass().channels(), layout));
    CompassStreamServer server = new CompassStreamServer(simConfig, new InetSocketAddress("127.0.0.1", 0),
        CompassStreamServer.DEFAULT_CHUNK_BYTES, 10_000, 1, null);
    NudaqConfig config = base.withCompass(new CompassConfig(base.compass().channels(),
        new CompassStreamConfig("127.0.0.1", server.boundAddress().getPort(), true, false, false, 64, 3600)))
        .withHttp(new HttpConfig("127.0.0.1", 0, dir.resolve("control.token").toString()));
    CaenSimulation sim = new CaenSimulation(simConfig, server);
    // Runs until stopped, so that the daemon joins mid-run however slowly it starts on a busy machine.
    Thread generator = new Thread(() -> sim.run(Pacing.parse("20"), Double.POSITIVE_INFINITY), "sim");
    generator.start();
    Daemon daemon = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180); // generous: the machine is shared
      while (server.position() < 100_000) {
        assertThat(System.nanoTime()).as("the simulator streams").isLessThan(deadline);
        LockSupport.parkNanos(5_000_000L);
      }
      daemon = new Daemon(config, dir.resolve("data"), Clock.systemUTC());
      daemon.start();
      CompassStreamStats stats = daemon.compassStream();
      while (stats.events() < 20_000) {
        assertThat(System.nanoTime()).as("the daemon reads the stream: %s", stats.toMap()).isLessThan(deadline);
        LockSupport.parkNanos(5_000_000L);
      }
      // The stream's connection state, scraped as Prometheus text: connected while it delivers data.
      assertThat(scrape(stats)).contains("nudaq_compass_stream_state{state=\"connected\"} 1.0",
          "nudaq_compass_stream_state{state=\"retrying\"} 0.0", "nudaq_compass_stream_state{state=\"closed\"} 0.0");
      sim.stop(); // the end of the run: the simulator closes the stream
      generator.join(TimeUnit.SECONDS.toMillis(60));
      while (stats.disconnects() == 0 || daemon.ingest().framesProcessed() < stats.frames()) {
        assertThat(System.nanoTime()).as("the daemon takes in the whole stream: generator alive %s, detector s %.1f, stream %s,"
            + " frames processed %d", generator.isAlive(), sim.reachedNs() / 1e9, stats.toMap(), daemon.ingest().framesProcessed())
            .isLessThan(deadline);
        LockSupport.parkNanos(5_000_000L);
      }
      daemon.close();
    } finally {
      server.close();
      if (daemon != null) {
        daemon.close();
      }
    }
    CompassStreamStats stats = daemon.compassStream();
    assertThat(scrape(stats)).contains("nudaq_compass_stream_state{state=\"closed\"} 1.0",
        "nudaq_compass_stream_state{state=\"connected\"} 0.0");
    PipelineSnapshot online = daemon.snapshot();
    assertThat(stats.events()).isGreaterThan(10_000);
    assertThat(stats.decodedBytes() + stats.skippedBytes()).isEqualTo(stats.bytesReceived());
    assertThat(stats.lockLosses()).isPositive();
    assertThat(online.totals().received()).isEqualTo(stats.events());
    assertThat(daemon.links()).isEmpty(); // the stream feeds board 0: no nudaq-protocol connection
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    org.nudaq.server.metrics.CompassStreamMetrics meters = new org.nudaq.server.metrics.CompassStreamMetrics(stats, java.util.List.of());
    meters.bindTo(registry);
    assertThat(registry.get("nudaq.compass.stream.events").functionCounter().count()).isEqualTo(stats.events());
    assertThat(registry.get("nudaq.compass.stream.skipped").functionCounter().count()).isEqualTo(stats.skippedBytes());
    assertThat(registry.get("nudaq.compass.stream.alignment.losses").functionCounter().count()).isEqualTo(stats.lockLosses());

    Path journal = Daemon.journalDir(config, dir.resolve("data"));
    ReplayResult replay = new JournalReplay().replay(journal, JournalSession.last(journal), config, Long.MIN_VALUE,
        Long.MAX_VALUE, JournalReplay.Pace.max());
    assertThat(replay.accountingBalances()).isTrue();
    SnapshotAssert.assertBitIdentical(replay.snapshot(), online);
  }

  /** The stream's meters as a Prometheus scrape (the registry /metrics serves). */
  private static String scrape(CompassStreamStats stats) {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    new org.nudaq.server.metrics.CompassStreamMetrics(stats, java.util.List.of()).bindTo(registry);
    return registry.scrape();
  }
}
