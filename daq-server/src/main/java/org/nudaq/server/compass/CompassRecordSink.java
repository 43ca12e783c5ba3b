package org.nudaq.server.compass;

/**
 * Where a CoMPASS record reader hands each record it decoded. Called on the reader's thread, once per
 * record: implementations must not allocate.
 */
public interface CompassRecordSink {

  /**
   * One record.
   *
   * @param board       CoMPASS board number
   * @param channel     CoMPASS channel number
   * @param timestampPs time stamp, ps since CoMPASS's run start
   * @param energyAdc   energy, ADC channels (0 when the layout has no energy)
   * @param flags       CoMPASS flags (see {@link CompassDescriptor})
   */
  void onRecord(int board, int channel, long timestampPs, int energyAdc, int flags);
}
