package org.nudaq.sim.generator;

/**
 * Receives generated events in time order. Called on the generator's thread; implementations must
 * not allocate per call (this is the simulator's hot path).
 */
public interface EventSink {

  /**
   * One triggered event.
   *
   * @param detectorIndex index of the HPGe detector (or of the NaI veto channel for NaI events) in
   *                      the generator's channel list
   * @param hpge          true for an HPGe channel, false for an NaI channel
   * @param timestampNs   detector time since the start of the run, ns
   * @param energyKeV     measured energy (after resolution), keV
   * @param flags         wire flags already known at generation (pile-up)
   * @param eventClass    ordinal of the {@link EventClass}: ground truth only
   */
  void onEvent(int detectorIndex, boolean hpge, long timestampNs, double energyKeV, int flags, int eventClass);

  /**
   * The reactor changed state, or a status point was reached: every event before {@code timestampNs}
   * has been delivered.
   *
   * @param timestampNs    detector time, ns
   * @param reactorOn      true reactor state from this instant
   */
  void onStatus(long timestampNs, boolean reactorOn);
}
