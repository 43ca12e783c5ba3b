package org.nudaq.monitor.config;

import java.util.List;

/**
 * One digitizer board: where to reach it and its channels.
 *
 * @param id       board id (as the board reports it in its hello frame)
 * @param host     host name or address of the board (the daemon connects to it)
 * @param port     TCP port of the board
 * @param tickNs   length of one timestamp tick, ns
 * @param adcBits  ADC resolution, bits (energies saturate at 2^bits − 1)
 * @param channels the connected channels
 */
public record BoardConfig(int id, String host, int port, double tickNs, int adcBits, List<ChannelConfig> channels) {

  public BoardConfig {
    channels = List.copyOf(channels);
  }

  /** The channel with that number, or null. */
  public ChannelConfig channel(int channel) {
    for (ChannelConfig c : channels) {
      if (c.channel() == channel) {
        return c;
      }
    }
    return null;
  }

  static BoardConfig bind(ConfigNode n) {
    int id = n.integer("id", -1);
    if (id < 0 || id > 0xFFFF) {
      n.error("id", "is required, 0..65535, got " + id);
    }
    String host = n.text("host", "127.0.0.1");
    int port = n.integer("port", -1);
    if (port < 1 || port > 65535) {
      n.error("port", "is required, 1..65535, got " + port);
    }
    double tick = n.number("tickNs", 4.0);
    n.requirePositive("tickNs", tick);
    int bits = n.integer("adcBits", 16);
    if (bits < 8 || bits > 16) {
      n.error("adcBits", "must be between 8 and 16, got " + bits);
    }
    List<ChannelConfig> channels = n.list("channels", ChannelConfig::bind);
    if (channels.isEmpty()) {
      n.error("channels", "needs at least one channel");
    }
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < channels.size(); i++) {
      if (!seen.add(channels.get(i).channel())) {
        n.error("channels[" + i + "].channel", "duplicate channel " + channels.get(i).channel() + " on board " + id);
      }
    }
    return new BoardConfig(id, host, port, tick, bits, channels);
  }
}
