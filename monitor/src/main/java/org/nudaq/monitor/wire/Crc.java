package org.nudaq.monitor.wire;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli: polynomial 0x1EDC6F41, reflected 0x82F63B78, init 0xFFFFFFFF, reflected
 * input and output, final XOR 0xFFFFFFFF; check value of "123456789" is 0xE3069283), as computed
 * by {@link CRC32C}, over a region of a buffer. The JIT turns CRC32C into SSE4.2/ARMv8
 * instructions, so checking every frame costs little.
 *
 * <p>Not thread-safe: one instance per thread (it reuses one {@link CRC32C}).
 */
public final class Crc {

  private final CRC32C crc = new CRC32C();

  /** CRC-32C of {@code length} bytes of {@code array} from {@code offset}, as an unsigned 32-bit value in an int. */
  public int crc32c(byte[] array, int offset, int length) {
    crc.reset();
    crc.update(array, offset, length);
    return (int) crc.getValue();
  }

  /**
   * CRC-32C of {@code length} bytes of {@code buffer} from absolute index {@code offset}; the
   * buffer's position and limit are not changed. Allocation-free for array-backed buffers; for
   * direct or read-only buffers one slice object is created per call (per frame, not per event).
   */
  public int crc32c(ByteBuffer buffer, int offset, int length) {
    crc.reset();
    if (buffer.hasArray()) {
      crc.update(buffer.array(), buffer.arrayOffset() + offset, length);
    } else {
      crc.update(buffer.slice(offset, length));
    }
    return (int) crc.getValue();
  }
}
