package org.nudaq.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.nudaq.monitor.cli.ConfigOption;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.http.MonitoringServer;
import org.nudaq.server.metrics.ReactorTimelineMetrics;
import org.nudaq.server.reactor.ReactorTimelineFollower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nudaq run}: the daemon, until SIGTERM/SIGINT; then it finishes and writes its run summary. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the daemon.")
public final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "data",
      description = "directory for spectra and the run summary (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--reactor-timeline", paramLabel = "FILE",
      description = "follow the plant's reactor timeline (CSV time,state,power) as it grows; needs gates.reactorStateSource: control")
  Path reactorTimeline;

  @Option(names = "--reactor-timeline-poll-seconds", paramLabel = "S", defaultValue = "10",
      description = "how often the timeline file is re-read (default: ${DEFAULT-VALUE})")
  double reactorTimelinePollSeconds;

  @Override
  public Integer call() throws Exception {
    NudaqConfig c = config.load();
    if (reactorTimeline != null && c.gates().reactorStateSource() != GateConfig.ReactorStateSource.CONTROL) {
      throw new IllegalArgumentException("--reactor-timeline needs gates.reactorStateSource: control in " + c.source());
    }
    if (!(reactorTimelinePollSeconds >= 0.1)) {
      throw new IllegalArgumentException("--reactor-timeline-poll-seconds must be at least 0.1, got " + reactorTimelinePollSeconds);
    }
    Daemon daemon = new Daemon(c, dataDir, Clock.systemUTC());
    ReactorTimelineFollower follower = reactorTimeline == null ? null
        : new ReactorTimelineFollower(reactorTimeline, c.reactor().thermalPowerMW(),
            (state, power, at) -> daemon.ingest().submitReactorStateAt(state, power, at));
    CountDownLatch done = new CountDownLatch(1);
    // Monitoring first: an unsafe control token file stops the daemon before it connects anywhere.
    MonitoringServer monitoring;
    try {
      monitoring = MonitoringServer.start(daemon, Clock.systemUTC());
    } catch (Exception e) {
      if (e instanceof java.net.BindException) {
        // Netty throws it unchecked: most often another daemon is running with the same http section.
        throw new java.io.UncheckedIOException("cannot listen on " + c.http().bindAddress() + ":" + c.http().port()
            + " (http.bindAddress, http.port of " + config.file() + "): " + e.getMessage(), (java.net.BindException) e);
      }
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (follower != null) {
        follower.close();
      }
      monitoring.close();
      daemon.close();
      System.out.println("nudaq: run summary: " + daemon.summaryFile().toAbsolutePath());
      done.countDown();
    }, "nudaq-shutdown"));
    daemon.start();
    if (follower != null) {
      monitoring.meters().bind(new ReactorTimelineMetrics(follower, java.util.List.of()));
      follower.start(Math.round(reactorTimelinePollSeconds * 1000));
      System.out.println("nudaq: following the reactor timeline " + reactorTimeline.toAbsolutePath());
    }
    System.out.println("nudaq: web page http://" + monitoring.hostPort() + "/");
    System.out.println("nudaq: metrics  http://" + monitoring.hostPort() + "/metrics");
    System.out.println("nudaq: control token in " + monitoring.token().file().toAbsolutePath());
    for (BoardConfig b : c.digitizer().boards()) {
      System.out.println("nudaq: reading board " + b.id() + " at " + b.host() + ":" + b.port());
    }
    System.out.println("nudaq: data in " + dataDir.toAbsolutePath() + "; stop with Ctrl-C or SIGTERM");
    done.await();
    return 0;
  }
}
