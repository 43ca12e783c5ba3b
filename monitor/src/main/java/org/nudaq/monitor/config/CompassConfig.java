package org.nudaq.monitor.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Import of CAEN CoMPASS list-mode files: which CoMPASS (board, channel) is which of our configured
 * digitizer channels. Immutable.
 *
 * @param channels            the channel map; CoMPASS channels not listed are counted and skipped
 * @param deadTimePerEventNs  the digitizer's dead time per saved event (non-paralysable model), ns, for
 *                            the live-time estimate of list files (they record no dead time); 0 = none
 * @param stream              the CoMPASS online TCP stream the daemon reads instead of nudaq-protocol
 *                            boards, or null
 * @param follow              the CoMPASS run folder the daemon follows live instead of nudaq-protocol
 *                            boards, or null
 */
public record CompassConfig(List<ChannelMapping> channels, double deadTimePerEventNs, CompassStreamConfig stream,
    CompassFollowConfig follow) {

  /** No followed folder. */
  public CompassConfig(List<ChannelMapping> channels, double deadTimePerEventNs, CompassStreamConfig stream) {
    this(channels, deadTimePerEventNs, stream, null);
  }

  /** This map with a followed folder (and no TCP stream). */
  public CompassConfig withFollow(CompassFollowConfig f) {
    return new CompassConfig(channels, deadTimePerEventNs, null, f);
  }

  /** A channel map with a dead time per saved event and no TCP stream. */
  public CompassConfig(List<ChannelMapping> channels, double deadTimePerEventNs) {
    this(channels, deadTimePerEventNs, null);
  }

  /** A channel map with a TCP stream and no dead time per saved event. */
  public CompassConfig(List<ChannelMapping> channels, CompassStreamConfig stream) {
    this(channels, 0, stream);
  }

  /**
   * One CoMPASS channel mapped to one of ours.
   *
   * @param board     CoMPASS board number (the BOARD field of the records)
   * @param channel   CoMPASS channel number (the CHANNEL field)
   * @param toBoard   our board id (digitizer.boards[].id)
   * @param toChannel our channel on that board
   */
  public record ChannelMapping(int board, int channel, int toBoard, int toChannel) {}

  public CompassConfig {
    channels = List.copyOf(channels);
  }

  /** A map without a dead-time model. */
  public CompassConfig(List<ChannelMapping> channels) {
    this(channels, 0);
  }

  static CompassConfig bind(ConfigNode n) {
    List<ChannelMapping> list = n.list("channels", m -> {
      int b = m.integer("board", -1);
      int c = m.integer("channel", -1);
      int tb = m.integer("toBoard", -1);
      int tc = m.integer("toChannel", -1);
      if (b < 0 || b > 255) {
        m.error("board", "must be a CoMPASS board number 0..255, got " + b);
      }
      if (c < 0 || c > 255) {
        m.error("channel", "must be a CoMPASS channel number 0..255, got " + c);
      }
      if (tb < 0 || tc < 0) {
        m.error("toChannel", "toBoard and toChannel must name one of our digitizer channels, got board " + tb + " channel " + tc);
      }
      return new ChannelMapping(b, c, tb, tc);
    });
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      ChannelMapping m = list.get(i);
      if (!seen.add(((long) m.board() << 16) | m.channel())) {
        n.error("channels[" + i + "]", "CoMPASS board " + m.board() + " channel " + m.channel() + " is mapped twice");
      }
    }
    double deadNs = n.number("deadTimePerEventNs", 0);
    n.requireRange("deadTimePerEventNs", deadNs, 0, 1e9);
    CompassStreamConfig stream = n.has("stream") ? CompassStreamConfig.bind(n.object("stream")) : null;
    if (stream != null && list.isEmpty()) {
      n.error("channels", "the TCP stream needs the channel map: every CoMPASS (board, channel) the stream carries");
    }
    CompassFollowConfig follow = n.has("follow") ? CompassFollowConfig.bind(n.object("follow")) : null;
    if (follow != null && list.isEmpty()) {
      n.error("channels", "following a CoMPASS folder needs the channel map: every CoMPASS (board, channel) of its files");
    }
    if (follow != null && stream != null) {
      n.error("follow", "give either stream (CoMPASS's TCP output) or follow (its run folder), not both");
    }
    return new CompassConfig(list, deadNs, stream, follow);
  }

  /**
   * Whether our side of a mapping is a configured digitizer channel. Checked when files are imported,
   * not when the configuration loads: a profile edited down to fewer boards still loads.
   */
  public static boolean configured(DigitizerConfig digitizer, int board, int channel) {
    for (BoardConfig b : digitizer.boards()) {
      if (b.id() == board) {
        for (ChannelConfig c : b.channels()) {
          if (c.channel() == channel) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
