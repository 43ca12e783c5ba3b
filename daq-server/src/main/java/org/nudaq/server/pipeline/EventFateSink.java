package org.nudaq.server.pipeline;

/**
 * Receives every event with its final fate, and every reactor-state change, from a pipeline built
 * with one ({@link EventPipeline#EventPipeline(org.nudaq.monitor.config.NudaqConfig, EventFateSink)}):
 * what an export writes. A pipeline built without one calls nothing (its per-event path has a
 * no-op object in place, see {@code FateTracker}).
 *
 * <p>Calls come on the pipeline thread, in the order the pipeline decides the events — not in time
 * order: an NaI hit is decided when the merge emits it, an HPGe event when its veto window closes
 * (after {@code veto.windowAfterNs}), an HPGe event passing every cut when its data-quality slice is
 * judged (up to two slices later). Implementations must not allocate per event.
 */
public interface EventFateSink {

  /**
   * One event of a configured channel, decided.
   *
   * @param source       the channel's index in {@link EventPipeline#sources()}
   * @param timeNs       trigger time, ns since the boards' run start (data time)
   * @param energyAdc    energy, ADC channels as received
   * @param flags        flag bits as received (docs/wire-protocol.md)
   * @param state        the reactor state the pipeline applied at the event's time; {@link ReactorState#UNKNOWN}
   *                     for events rejected before the merge (late, fake), which never reach the state
   * @param fate         what happened to it
   */
  void onEvent(int source, long timeNs, int energyAdc, int flags, ReactorState state, EventFate fate);

  /**
   * An event of a board/channel not in the configuration (rejected, {@link EventFate#REJECTED_UNKNOWN_CHANNEL}).
   *
   * @param timeNs trigger time in ns for a configured board; −1 for an unknown board (its tick length is unknown)
   */
  void onUnknownChannel(int boardId, int channel, long timeNs, int energyAdc, int flags);

  /**
   * The reactor state and thermal power the pipeline applies from data time {@code timeNs} on
   * (changes only: another state, or the same state at another power).
   *
   * @param powerFraction thermal power as a fraction of nominal (≥ 0; 1 = nominal)
   */
  void onReactorState(long timeNs, ReactorState state, double powerFraction);
}
