package org.nudaq.monitor.wire;

/**
 * Contents of a HELLO frame: what a board says about itself when a client connects. Immutable;
 * thread-safe.
 *
 * @param boardTimeTicks the board's timestamp counter when the HELLO was sent, in ticks (u64)
 * @param tickLengthPs length of one timestamp tick in picoseconds (u32, ≥ 1; 4000 for 250 MS/s)
 * @param statusPeriodMs period of STATUS frames in milliseconds (u32; 0 = no periodic status)
 * @param firmwareMajor firmware major version (u16)
 * @param firmwareMinor firmware minor version (u16)
 * @param channelCount number of input channels of the board (1..65535)
 * @param adcBits ADC resolution in bits (1..16); energies are in 0..2^adcBits-1
 * @param capabilities capability bits (u8), e.g. {@link FrameDescriptor#CAPABILITY_SIMULATOR}
 */
public record BoardHello(
    long boardTimeTicks,
    long tickLengthPs,
    long statusPeriodMs,
    int firmwareMajor,
    int firmwareMinor,
    int channelCount,
    int adcBits,
    int capabilities) {

  public BoardHello {
    requireRange("tickLengthPs", tickLengthPs, 1, 0xFFFF_FFFFL);
    requireRange("statusPeriodMs", statusPeriodMs, 0, 0xFFFF_FFFFL);
    requireRange("firmwareMajor", firmwareMajor, 0, 0xFFFF);
    requireRange("firmwareMinor", firmwareMinor, 0, 0xFFFF);
    requireRange("channelCount", channelCount, 1, 0xFFFF);
    requireRange("adcBits", adcBits, 1, 16);
    requireRange("capabilities", capabilities, 0, 0xFF);
  }

  /** True when the board declares itself the nudaq simulator. */
  public boolean isSimulator() {
    return (capabilities & FrameDescriptor.CAPABILITY_SIMULATOR) != 0;
  }

  /** Largest energy the ADC can report, in ADC units. */
  public int maxEnergyAdc() {
    return (1 << adcBits) - 1;
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "BoardHello " + name + "=" + value + " out of range " + min + ".." + max);
    }
  }
}
