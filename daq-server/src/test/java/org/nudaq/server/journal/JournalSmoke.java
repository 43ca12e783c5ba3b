package org.nudaq.server.journal;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import org.nudaq.monitor.config.JournalConfig;
import java.nio.ByteBuffer;
import org.nudaq.monitor.wire.FrameWriter;

/**
 * A child process for {@link NoOutboundConnectionTest}: opens a journal, appends and reads back
 * frames and state records (everything Chronicle does for us), then connects once to the loopback
 * port given (the control that proves the tracer sees connections). Exit 0 on success.
 */
public final class JournalSmoke {
  private JournalSmoke() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int loopbackPort = Integer.parseInt(args[1]);
    ByteBuffer buf = ByteBuffer.allocate(36 + 16 * 8);
    FrameWriter fw = new FrameWriter();
    fw.beginEvents(buf, 0, 0, 1);
    for (int i = 0; i < 8; i++) {
      fw.appendEvent(1000 + i, 0, 100 + i, 0, 0);
    }
    byte[] frame = new byte[fw.finishEvents()];
    buf.get(0, frame);
    try (JournalWriter w = new JournalWriter(dir, JournalConfig.defaults(), Clock.systemUTC())) {
      w.session("smoke.yaml", "experiment: smoke\n");
      for (int i = 0; i < 1000; i++) {
        w.frame(0, frame, frame.length, 0);
      }
      w.idle(System.nanoTime());
      w.finished();
    }
    long[] frames = new long[1];
    try (JournalReader r = new JournalReader(dir)) {
      JournalVisitor v = new JournalVisitor() {
        @Override
        public void onFrame(long index, long wallClockEpochMs, int boardId, byte[] data, int length, long lost) {
          frames[0]++;
        }
      };
      while (r.next(v)) {
        // all
      }
    }
    if (frames[0] != 1000) {
      System.exit(3);
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", loopbackPort), 5000);
    }
    System.out.println("journal smoke: 1000 frames written and read");
  }
}
