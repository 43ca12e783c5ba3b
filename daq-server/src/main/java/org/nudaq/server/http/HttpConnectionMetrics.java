package org.nudaq.server.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the HTTP server's connections: open now, the cap, and those refused at the cap
 * (docs/metrics.md). Thread-safety: reads atomics.
 *
 * <p>Micrometer holds function meters' state weakly: keep this binder reachable as long as the registry.
 */
final class HttpConnectionMetrics implements MeterBinder {
  private final HttpServer server;
  private final int maxConnections;

  HttpConnectionMetrics(HttpServer server, int maxConnections) {
    this.server = server;
    this.maxConnections = maxConnections;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("nudaq.http.connections.open", server, HttpServer::openConnections)
        .description("HTTP connections open now").register(registry);
    Gauge.builder("nudaq.http.connections.max", this, m -> m.maxConnections)
        .description("Most HTTP connections open at once (http.maxConnections)").register(registry);
    FunctionCounter.builder("nudaq.http.connections.refused", server, HttpServer::refusedConnections)
        .description("HTTP connections refused (503, closed) because http.maxConnections were open").register(registry);
  }
}
