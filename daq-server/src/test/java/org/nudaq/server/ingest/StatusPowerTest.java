package org.nudaq.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.wire.BoardHello;
import org.nudaq.monitor.wire.BoardStatus;
import org.nudaq.monitor.wire.ChannelCounters;
import org.nudaq.monitor.wire.FrameDescriptor;
import org.nudaq.monitor.wire.FrameWriter;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.PipelineSnapshot;

/**
 * The reactor power in STATUS frames (the formerly reserved u32 at offset 44, millionths of nominal)
 * reaches the pipeline's power-weighted live time through the daemon's frame path, and a frame that
 * does not report it (0) counts as nominal when ON. GEMMA-I's board 0 (channels 0, 1), 4 ns ticks,
 * state from the digitizer.
 */
class StatusPowerTest {
  private static final long S = 250_000_000L; // ticks per second at 4 ns

  @Test
  void theStatusPowerWeightsTheOnLiveTimeByHand() {
    NudaqConfig config = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    EventPipeline pipeline = new EventPipeline(config);
    PipelineInputs inputs = new PipelineInputs(pipeline);
    FrameWriter writer = new FrameWriter();
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    long[] seq = {0};
    java.util.function.Consumer<Integer> send = length -> {
      byte[] frame = new byte[length];
      buffer.get(0, frame);
      inputs.frame(0, frame, length, 0);
      seq[0]++;
    };
    send.accept(writer.writeHello(buffer, 0, 0, seq[0], new BoardHello(0, 4000, 1000, 4, 22, 2, 14, FrameDescriptor.CAPABILITY_SIMULATOR)));
    // ON at 80 % from 0 s, ON not reported (nominal) from 10 s, OFF from 15 s, end at 20 s; no dead time.
    long[][] statuses = {{0, 1, 800_000}, {10 * S, 1, 0}, {15 * S, 0, 0}, {20 * S, 0, 0}};
    for (long[] st : statuses) {
      List<ChannelCounters> ch = List.of(new ChannelCounters(0, st[0], 0, 0, 0), new ChannelCounters(1, st[0], 0, 0, 0));
      send.accept(writer.writeStatus(buffer, 0, 0, seq[0], new BoardStatus(st[0], st[0], (int) st[1], ch, st[2])));
    }
    pipeline.finish();
    PipelineSnapshot.DetectorSnapshot d = pipeline.publish(java.time.Instant.EPOCH).detectors().get(0);
    // By hand: ON live 15 s; power-weighted 10 s × 0.8 + 5 s × 1.0 = 13 s; mean 13/15.
    assertThat(d.liveTimeBeforeGatesOnSeconds()).isCloseTo(15.0, within(1e-9));
    assertThat(d.liveTimeBeforeGatesOffSeconds()).isCloseTo(5.0, within(1e-9));
    assertThat(d.powerWeightedLiveTimeBeforeGatesOnSeconds()).isCloseTo(13.0, within(1e-9));
    assertThat(d.meanPowerFractionOn()).isCloseTo(13.0 / 15.0, within(1e-12));
  }
}
