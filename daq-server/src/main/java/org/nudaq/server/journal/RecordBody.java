package org.nudaq.server.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The body of a journal record other than a frame, built before the record is opened, so that
 * {@link JournalWriter} opens, copies and commits every such record in one place (and a failure
 * while the mapped file is touched refuses the record there, once). Numbers are written in the
 * platform's byte order, as Chronicle Bytes writes them into the mapped file, so the record bytes are
 * those a direct write would give; strings as an i32 byte length and their UTF-8 bytes.
 *
 * <p>Reused: {@link #clear()} starts the next body; the buffer grows when a body needs more (only
 * a SESSION record's configuration text is large). Allocation-free apart from that growth and the
 * UTF-8 encoding of strings. Not thread-safe: the writer's callers write one record at a time.
 */
final class RecordBody {
  private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

  RecordBody clear() {
    buf.clear();
    return this;
  }

  RecordBody u8(int v) {
    room(1).put((byte) v);
    return this;
  }

  RecordBody i32(int v) {
    room(4).putInt(v);
    return this;
  }

  RecordBody i64(long v) {
    room(8).putLong(v);
    return this;
  }

  RecordBody f64(double v) {
    room(8).putDouble(v);
    return this;
  }

  RecordBody bytes(byte[] b) {
    room(b.length).put(b);
    return this;
  }

  /** A string as i32 byte length + UTF-8 bytes. */
  RecordBody utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return i32(b.length).bytes(b);
  }

  /** The body so far: {@link #array()} from 0, this many bytes. */
  int length() {
    return buf.position();
  }

  byte[] array() {
    return buf.array();
  }

  private ByteBuffer room(int n) {
    if (buf.remaining() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * buf.capacity(), buf.position() + n)).order(ByteOrder.nativeOrder());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
    return buf;
  }
}
