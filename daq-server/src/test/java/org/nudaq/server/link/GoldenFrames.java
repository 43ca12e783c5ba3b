package org.nudaq.server.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.wire.FrameWriter;

/** The golden frames of docs/wire-protocol.md §9, read from the document itself, and frame builders. */
final class GoldenFrames {
  private GoldenFrames() {}

  /** HELLO, EVENTS (4 events), STATUS, GOODBYE of board 1, sequences 0..3. */
  static List<byte[]> fromDoc() {
    try {
      String doc = Files.readString(Path.of("../docs/wire-protocol.md"));
      String golden = doc.substring(doc.indexOf("## 9. Golden frames"));
      List<byte[]> frames = new ArrayList<>();
      int at = 0;
      while ((at = golden.indexOf("```\n", at)) >= 0) {
        int end = golden.indexOf("```", at + 4);
        String hex = golden.substring(at + 4, end).replaceAll("\\s+", "");
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        frames.add(b);
        at = end + 3;
      }
      return frames;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An EVENTS frame of {@code n} events on channel 0 with timestamps t0, t0+1, ... */
  static byte[] events(int board, long sequence, long t0, int n) {
    ByteBuffer buf = ByteBuffer.allocate(36 + 16 * n);
    FrameWriter w = new FrameWriter();
    w.beginEvents(buf, 0, board, sequence);
    for (int i = 0; i < n; i++) {
      w.appendEvent(t0 + i, 0, 100 + i, 0, 0);
    }
    int len = w.finishEvents();
    byte[] out = new byte[len];
    buf.get(0, out);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
