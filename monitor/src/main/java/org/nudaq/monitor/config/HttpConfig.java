package org.nudaq.monitor.config;

/**
 * The daemon's HTTP server: web page, JSON API, Prometheus metrics and control actions.
 *
 * @param bindAddress address to listen on; 127.0.0.1 unless the site decides otherwise
 * @param port        TCP port (9470 by default)
 * @param tokenFile   file holding the bearer token for control actions; it must be readable by its
 *                    owner only; created with a random token when missing; a relative path is
 *                    under the daemon's data directory ({@code --data}), like the journal
 * @param maxConnections most HTTP connections open at once; a connection beyond it is answered 503 and
 *                       closed, and counted
 * @param idleTimeoutSeconds a connection with no byte read or written this long is closed, s
 */
public record HttpConfig(String bindAddress, int port, String tokenFile, int maxConnections, int idleTimeoutSeconds) {

  /** Default cap on open connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  /** Default idle timeout, s. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;

  /** Address, port and token file with the default connection cap and idle timeout. */
  public HttpConfig(String bindAddress, int port, String tokenFile) {
    this(bindAddress, port, tokenFile, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_SECONDS);
  }

  static HttpConfig bind(ConfigNode n) {
    String bind = n.text("bindAddress", "127.0.0.1");
    int port = n.integer("port", 9470);
    if (port < 0 || port > 65535) {
      n.error("port", "must be between 0 (any free port) and 65535, got " + port);
    }
    String token = n.text("tokenFile", "control.token");
    if (token.isBlank()) {
      n.error("tokenFile", "must name a file");
    }
    int maxConnections = n.integer("maxConnections", DEFAULT_MAX_CONNECTIONS);
    n.requireRange("maxConnections", maxConnections, 1, 100_000);
    int idle = n.integer("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS);
    n.requireRange("idleTimeoutSeconds", idle, 1, 86_400);
    return new HttpConfig(bind, port, token, maxConnections, idle);
  }
}
