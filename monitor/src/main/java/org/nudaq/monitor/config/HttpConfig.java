package org.nudaq.monitor.config;

/**
 * The daemon's HTTP server: web page, JSON API, Prometheus metrics and control actions.
 *
 * @param bindAddress address to listen on; 127.0.0.1 unless the site decides otherwise
 * @param port        TCP port (9470 by default)
 * @param tokenFile   file holding the bearer token for control actions; it must be readable by its
 *                    owner only; created with a random token when missing; a relative path is
 *                    under the daemon's data directory ({@code --data}), like the journal
 */
public record HttpConfig(String bindAddress, int port, String tokenFile) {

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
    return new HttpConfig(bind, port, token);
  }
}
