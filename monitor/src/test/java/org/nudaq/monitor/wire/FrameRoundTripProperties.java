package org.nudaq.monitor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FrameRoundTripProperties {

  record Event(long timestampTicks, int channel, int energyAdc, int flags, int lost) {}

  @Property(tries = 300)
  void everyEventFieldSurvivesEncodeAndDecode(
      @ForAll @Size(max = 200) List<Long> timestamps,
      @ForAll @IntRange(max = 0xFFFF) int channel,
      @ForAll @IntRange(max = 0xFFFF) int energy,
      @ForAll @IntRange(max = 0xFFFF) int flags,
      @ForAll long sequence,
      @ForAll @IntRange(max = 0xFFFF) int boardId) {
    List<Event> sent = new ArrayList<>();
    for (int i = 0; i < timestamps.size(); i++) {
      // vary each field per record so records cannot be confused with one another
      sent.add(new Event(timestamps.get(i), (channel + i) & 0xFFFF, (energy ^ i) & 0xFFFF,
          (flags + 3 * i) & 0xFFFF, (i * 7) & 0xFFFF));
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(FrameDescriptor.eventsFrameLength(sent.size()));
    FrameWriter writer = new FrameWriter();
    writer.beginEvents(buffer, 0, boardId, sequence);
    for (Event e : sent) {
      assertThat(writer.appendEvent(e.timestampTicks(), e.channel(), e.energyAdc(), e.flags(), e.lost())).isTrue();
    }
    int length = writer.finishEvents();

    List<Event> received = new ArrayList<>();
    long[] header = new long[3];
    new FrameReader().decode(buffer, 0, length, new RecordingVisitor() {
      @Override
      public void onEventsBegin(int b, long s, int count) {
        header[0] = b;
        header[1] = s;
        header[2] = count;
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
