package org.nudaq.server.pipeline;

/**
 * Feeds hand-made events to an {@link EventPipeline} in physical units for the GEMMA-I profile:
 * board 0, channel 0 HPGe (0.005 keV/ADC), channel 1 NaI (0.2 keV/ADC), 4 ns ticks.
 */
final class PipelineDriver {
  static final long TICK_NS = 4;
  final EventPipeline pipeline;

  PipelineDriver(EventPipeline pipeline) {
    this.pipeline = pipeline;
  }

  void hpge(long tNs, double keV) {
    hpge(tNs, keV, 0);
  }

  void hpge(long tNs, double keV, int flags) {
    pipeline.onEvent(0, 0, tNs / TICK_NS, (int) Math.round(keV / 0.005), flags, 0);
  }

  void nai(long tNs, double keV) {
    nai(tNs, keV, 0);
  }

  void nai(long tNs, double keV, int flags) {
    pipeline.onEvent(0, 1, tNs / TICK_NS, (int) Math.round(keV / 0.2), flags, 0);
  }

  /** A board-0 status at tNs with zero dead time; state 0 off, 1 on, 0xFF unknown. */
  void status(long tNs, int state) {
    pipeline.onStatusBegin(0, tNs / TICK_NS, tNs / TICK_NS, state);
    pipeline.onStatusChannel(0, 0, tNs / TICK_NS, 0, 0, 0);
    pipeline.onStatusChannel(0, 1, tNs / TICK_NS, 0, 0, 0);
    pipeline.onStatusEnd(0);
  }
}
