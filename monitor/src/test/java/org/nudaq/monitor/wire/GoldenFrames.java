package org.nudaq.monitor.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** The golden frames of docs/wire-protocol.md §8, copied verbatim (hex, 16 bytes per line). */
final class GoldenFrames {

  /** Board 1, sequence 0: boardTime 1 000 000 ticks, 4000 ps ticks, status every 1000 ms, fw 4.22, 8 channels, 14-bit, simulator. */
  static final String HELLO =
      "4e 55 44 51 01 01 00 00 34 00 00 00 01 00 00 00\n"
          + "00 00 00 00 00 00 00 00 40 42 0f 00 00 00 00 00\n"
          + "a0 0f 00 00 e8 03 00 00 04 00 16 00 08 00 0e 01\n"
          + "ec 66 dc c2";

  /** Board 1, sequence 1, four events: plain; PILEUP|SATURATION; LOST_TRIGGERS_BEFORE (3 lost); FAKE. */
  static final String EVENTS =
      "4e 55 44 51 01 02 00 00 64 00 00 00 01 00 00 00\n"
          + "01 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00\n"
          + "3a 43 0f 00 00 00 00 00 00 00 d2 04 00 00 00 00\n"
          + "6c 43 0f 00 00 00 00 00 01 00 ff 3f 03 00 00 00\n"
          + "10 4a 0f 00 00 00 00 00 00 00 56 04 04 00 03 00\n"
          + "04 4c 0f 00 00 00 00 00 07 00 00 00 08 00 00 00\n"
          + "a5 11 08 8e";

  /** Board 1, sequence 2: boardTime 250 000 000, realTime 249 000 000, reactor ON, channels 0 and 1. */
  static final String STATUS =
      "4e 55 44 51 01 03 00 00 84 00 00 00 01 00 00 00\n"
          + "02 00 00 00 00 00 00 00 80 b2 e6 0e 00 00 00 00\n"
          + "40 70 d7 0e 00 00 00 00 02 00 01 00 00 00 00 00\n"
          + "00 00 00 00 00 00 00 00 20 cf cf 0e 00 00 00 00\n"
          + "20 a1 07 00 00 00 00 00 dc 05 00 00 00 00 00 00\n"
          + "03 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00\n"
          + "00 1c 4e 0e 00 00 00 00 40 54 89 00 00 00 00 00\n"
          + "60 ea 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
          + "69 d2 73 72";

  /** Board 1, sequence 3, reason 0 (normal shutdown). */
  static final String GOODBYE =
      "4e 55 44 51 01 04 00 00 24 00 00 00 01 00 00 00\n"
          + "03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
          + "f7 4e 7e 51";

  private GoldenFrames() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String hex(ByteBuffer buffer, int offset, int length) {
    byte[] out = new byte[length];
    buffer.get(offset, out);
    return HexFormat.of().formatHex(out);
  }

  static String compact(String hex) {
    return hex.replaceAll("\\s+", "");
  }
}
