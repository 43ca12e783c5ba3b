package org.nudaq.monitor.config;

/**
 * The CAEN CoMPASS online TCP stream as a live source of the daemon ({@code compass.stream}). CoMPASS
 * sends its list-mode records over TCP with no header and no framing, so the record layout (which
 * optional fields each record has, CoMPASS's "header" bits of the binary file) must be declared here;
 * the daemon finds the record boundaries itself. Immutable.
 *
 * @param host              where CoMPASS serves the stream
 * @param port              its TCP port
 * @param energy            records carry the u16 energy (ADC channels); header bit 0x1
 * @param calibratedEnergy  records carry the f64 calibrated energy; header bit 0x2
 * @param energyShort       records carry the u16 energy short; header bit 0x4
 * @param windowRecords     records checked together when searching for the record alignment
 * @param maxTimeJumpSeconds largest forward step of one channel's time stamp between two records that is
 *                           still plausible (larger steps, unless flagged as a time-stamp reset or
 *                           roll-over, mean the alignment was lost), s
 */
public record CompassStreamConfig(String host, int port, boolean energy, boolean calibratedEnergy, boolean energyShort,
    int windowRecords, double maxTimeJumpSeconds) {

  /** CoMPASS's header bits for this layout (0x1 energy, 0x2 calibrated energy, 0x4 energy short; never 0x8 waveform). */
  public int headerFlags() {
    return (energy ? 0x1 : 0) | (calibratedEnergy ? 0x2 : 0) | (energyShort ? 0x4 : 0);
  }

  static CompassStreamConfig bind(ConfigNode n) {
    String host = n.text("host", "127.0.0.1");
    int port = n.integer("port", -1);
    if (port < 1 || port > 65535) {
      n.error("port", "is required, 1..65535 (the TCP port CoMPASS serves its data on), got " + port);
    }
    boolean energy = n.bool("energy", true);
    boolean calibrated = n.bool("calibratedEnergy", false);
    boolean energyShort = n.bool("energyShort", false);
    if (n.bool("waveforms", false)) {
      n.error("waveforms", "waveforms in the TCP stream are not supported (records of varying length cannot be re-aligned"
          + " reliably); switch off waveform saving for the TCP output in CoMPASS");
    }
    int window = n.integer("windowRecords", 64);
    if (window < 8 || window > 4096) {
      n.error("windowRecords", "must be 8..4096, got " + window);
    }
    double jump = n.number("maxTimeJumpSeconds", 3600);
    n.requireRange("maxTimeJumpSeconds", jump, 1e-3, 1e6);
    return new CompassStreamConfig(host, port, energy, calibrated, energyShort, window, jump);
  }
}
