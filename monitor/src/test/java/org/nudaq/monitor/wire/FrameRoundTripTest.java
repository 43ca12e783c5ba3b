package org.nudaq.monitor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameRoundTripTest {

  record Event(long timestampTicks, int channel, int energyAdc, int flags, int lost) {}

  @Test
  void everyEventFieldSurvivesEncodeAndDecodeOverTheFullU16AndU64Ranges() {
    SplittableRandom random = new SplittableRandom(20240611L); // fixed seed: reproducible
    FrameWriter writer = new FrameWriter();
    FrameReader reader = new FrameReader();
    for (int frame = 0; frame < 300; frame++) {
      int boardId = random.nextInt(0x10000);
      long sequence = random.nextLong(); // raw u64 bits, including "negative" longs
      List<Event> sent = new ArrayList<>();
      int count = frame == 0 ? 0 : random.nextInt(200);
      for (int i = 0; i < count; i++) {
        sent.add(new Event(random.nextLong(), random.nextInt(0x10000), random.nextInt(0x10000),
            random.nextInt(0x10000), random.nextInt(0x10000)));
      }
      sent.add(new Event(-1L, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF)); // all-ones extremes must not sign-extend
      ByteBuffer buffer = frame % 2 == 0
          ? ByteBuffer.allocateDirect(FrameDescriptor.eventsFrameLength(sent.size()))
          : ByteBuffer.allocate(FrameDescriptor.eventsFrameLength(sent.size()));
      writer.beginEvents(buffer, 0, boardId, sequence);
      for (Event e : sent) {
        assertThat(writer.appendEvent(e.timestampTicks(), e.channel(), e.energyAdc(), e.flags(), e.lost())).isTrue();
      }
      int length = writer.finishEvents();
      assertThat(length).isEqualTo(buffer.capacity());

      List<Event> received = new ArrayList<>();
      long[] header = new long[3];
      reader.decode(buffer, 0, length, new RecordingVisitor() {
        @Override
        public void onEventsBegin(int b, long s, int n) {
          header[0] = b;
          header[1] = s;
          header[2] = n;
        }

        @Override
        public void onEvent(long t, int ch, int e, int f, int l) {
          received.add(new Event(t, ch, e, f, l));
        }
      });
      assertThat(header).containsExactly(boardId, sequence, sent.size());
      assertThat(received).isEqualTo(sent);
    }
  }
}
