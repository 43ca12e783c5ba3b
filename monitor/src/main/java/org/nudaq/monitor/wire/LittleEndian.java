package org.nudaq.monitor.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian absolute reads and writes on any {@link ByteBuffer} (heap or direct), independent
 * of the buffer's own {@link ByteBuffer#order()} and without touching its position or limit.
 * Unsigned reads widen ({@code u16 → int}, {@code u32 → long}). Stateless; thread-safe.
 */
final class LittleEndian {

  private static final VarHandle SHORT =
      MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private LittleEndian() {}

  static int u8(ByteBuffer b, int i) {
    return b.get(i) & 0xFF;
  }

  static int u16(ByteBuffer b, int i) {
    return ((short) SHORT.get(b, i)) & 0xFFFF;
  }

  static int i32(ByteBuffer b, int i) {
    return (int) INT.get(b, i);
  }

  static long u32(ByteBuffer b, int i) {
    return ((int) INT.get(b, i)) & 0xFFFF_FFFFL;
  }

  static long i64(ByteBuffer b, int i) {
    return (long) LONG.get(b, i);
  }

  static void put8(ByteBuffer b, int i, int v) {
    b.put(i, (byte) v);
  }

  static void put16(ByteBuffer b, int i, int v) {
    SHORT.set(b, i, (short) v);
  }

  static void put32(ByteBuffer b, int i, int v) {
    INT.set(b, i, v);
  }

  static void put64(ByteBuffer b, int i, long v) {
    LONG.set(b, i, v);
  }
}
