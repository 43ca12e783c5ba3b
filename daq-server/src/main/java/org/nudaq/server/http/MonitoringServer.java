package org.nudaq.server.http;

import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.HttpConfig;
import org.nudaq.server.daemon.Daemon;
import org.nudaq.server.metrics.DaemonMeters;
import org.nudaq.server.metrics.DataTimeRates;
import org.nudaq.server.metrics.ShiftChecks;
import org.nudaq.server.metrics.EventRates;
import org.nudaq.server.metrics.LimitsHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's monitoring: Prometheus meters, the HTTP server (web page, JSON API, /metrics,
 * control) on {@code config.http()}, and a one-thread scheduler that samples the event rates and
 * the limits history once a second.
 *
 * <p>Start after the daemon, close before it. Thread-safe accessors; close once.
 */
public final class MonitoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringServer.class);
  /** Limit results kept for the "limits over time" plot. */
  public static final int HISTORY_CAPACITY = 1000;
  /** Samples over which rates are averaged (about one a second). */
  public static final int RATE_WINDOW_SAMPLES = 10;

  private final DaemonMeters meters;
  private final LimitsHistory history;
  private final MonitoringApi api;
  private final ScheduledExecutorService scheduler;
  private final HttpServer server;
  private final ControlToken token;

  private MonitoringServer(Daemon daemon, Clock clock) {
    HttpConfig http = daemon.config().http();
    // Like the journal: a relative token file lives under the daemon's --data directory.
    this.token = ControlToken.loadOrCreate(daemon.dataDir().resolve(http.tokenFile()));
    EventRates rates = new EventRates(RATE_WINDOW_SAMPLES, java.util.List.of());
    this.meters = new DaemonMeters(daemon, rates, clock);
    this.history = new LimitsHistory(HISTORY_CAPACITY);
    DataTimeRates dataRates = new DataTimeRates(RATE_WINDOW_SAMPLES);
    ShiftChecks checks = new ShiftChecks(meters.registry());
    this.api = new MonitoringApi(daemon, rates, history, clock, dataRates, checks);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nudaq-monitoring");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleAtFixedRate(() -> {
      try {
        rates.sample(daemon.snapshot(), System.nanoTime());
        history.offer(daemon.ingest().latestLimits());
        dataRates.sample(daemon.snapshot());
        checks.sample(System.nanoTime());
      } catch (RuntimeException e) {
        LOG.warn("monitoring sample failed: {}", e.toString());
      }
    }, 0, 1, TimeUnit.SECONDS);
    // The analysis templates take a moment: compute them now, not on the first page load.
    scheduler.execute(api::templates);
    HttpRouter router = new HttpRouter(daemon, api, meters.registry(), token,
        new StaticResources(MonitoringServer.class.getClassLoader()), scheduler);
    HttpServer s;
    try {
      s = HttpServer.start(http.bindAddress(), http.port(), http.maxConnections(), http.idleTimeoutSeconds(), router);
    } catch (RuntimeException e) {
      scheduler.shutdownNow();
      meters.close();
      throw e;
    }
    this.server = s;
    meters.bind(new NettyEventExecutorMetrics(s.group()));
    meters.bind(new HttpConnectionMetrics(s, http.maxConnections()));
    meters.bind(new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT));
  }

  /**
   * Starts monitoring a daemon.
   *
   * @throws ControlTokenException if the token file is unsafe or unreadable
   * @throws IllegalStateException if the port cannot be bound
   */
  public static MonitoringServer start(Daemon daemon, Clock clock) {
    MonitoringServer m = new MonitoringServer(daemon, clock);
    LOG.info("web page http://{}/ and metrics http://{}/metrics", m.hostPort(), m.hostPort());
    return m;
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** host:port of the bound address, for URLs. */
  public String hostPort() {
    InetSocketAddress a = server.address();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  public DaemonMeters meters() {
    return meters;
  }

  public MonitoringApi api() {
    return api;
  }

  public LimitsHistory history() {
    return history;
  }

  public ControlToken token() {
    return token;
  }

  @Override
  public void close() {
    server.close();
    scheduler.shutdownNow();
    meters.close();
  }
}
