package org.nudaq.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.nudaq.server.link.ConnectionState;
import org.nudaq.server.link.LinkStats;

/**
 * Meters of the board links (tag {@code board}), read from their {@link LinkStats} when scraped.
 * Thread-safety: LinkStats are atomics, readable from any thread.
 *
 * <p>Micrometer holds function meters\' state weakly: keep this binder reachable as long as the registry.
 */
public final class LinkMetrics implements MeterBinder {
  private final List<LinkStats> links;
  private final Iterable<Tag> tags;

  public LinkMetrics(List<LinkStats> links, Iterable<Tag> tags) {
    this.links = List.copyOf(links);
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (LinkStats l : links) {
      Tags t = Tags.of(tags).and("board", Integer.toString(l.boardId()));
      Gauge.builder("nudaq.link.up", l, s -> s.up() ? 1 : 0)
          .description("1 while the board is connected and has sent its HELLO").tags(t).register(registry);
      for (ConnectionState state : ConnectionState.values()) {
        Gauge.builder("nudaq.link.state", l, s -> s.connectionState() == state ? 1 : 0)
            .description("1 for the link's current connection state: connecting (no connection has worked yet), connected "
                + "(a connection delivers data), retrying (failed or lost; reconnecting with the capped backoff), closed")
            .tags(t.and("state", state.label())).register(registry);
      }
      counter(registry, l, t, "nudaq.link.frames", "Valid frames received (duplicates excluded)", LinkStats::framesReceived);
      bytes(registry, l, t, "nudaq.link.received", "Bytes received from the board", LinkStats::bytesReceived);
      counter(registry, l, t, "nudaq.link.events", "Events in the frames received", LinkStats::eventsReceived);
      bytes(registry, l, t, "nudaq.link.skipped",
          "Bytes received but not in a valid frame: resynchronisation, bad frames, frames cut off", LinkStats::skippedBytes);
      bytes(registry, l, t, "nudaq.link.cut.frame",
          "Bytes of frames cut off by a connection's end, the daemon's stop or a lost link (also in skipped)",
          LinkStats::cutFrameBytes);
      counter(registry, l, t, "nudaq.link.crc.errors", "Frames dropped because their CRC did not match", LinkStats::crcErrors);
      counter(registry, l, t, "nudaq.link.malformed.frames", "Frames dropped for a bad header or layout", LinkStats::malformedFrames);
      counter(registry, l, t, "nudaq.link.resyncs", "Times the decoder searched for the next frame's magic word", LinkStats::resyncs);
      counter(registry, l, t, "nudaq.link.sequence.gaps", "Jumps in the frame sequence numbers", LinkStats::sequenceGaps);
      counter(registry, l, t, "nudaq.link.frames.lost",
          "Frames sent by the board and not passed on: sequence gaps plus frames dropped by the link", LinkStats::framesLost);
      counter(registry, l, t, "nudaq.link.frames.dropped",
          "Frames received whole but not passed on (link path failure, e.g. out of memory); also in frames.lost",
          LinkStats::framesDropped);
      counter(registry, l, t, "nudaq.link.frames.before.hello", "Frames received before the board's HELLO on a connection (dropped)",
          LinkStats::framesBeforeHello);
      counter(registry, l, t, "nudaq.link.sequence.resets",
          "Sequence jumps beyond digitizer.sequenceJumpMaxFrames (counted as a reset, not as lost frames)",
          LinkStats::sequenceResets);
      counter(registry, l, t, "nudaq.link.foreign.frames", "Frames carrying another board's id (dropped, connection closed)",
          LinkStats::foreignFrames);
      counter(registry, l, t, "nudaq.link.hello.timeouts", "Connections closed because no HELLO came within digitizer.helloTimeoutMs",
          LinkStats::helloTimeouts);
      counter(registry, l, t, "nudaq.link.duplicate.frames", "Frames received twice (dropped)", LinkStats::duplicateFrames);
      counter(registry, l, t, "nudaq.link.board.restarts", "Board restarts seen (HELLO sequence went back)", LinkStats::boardRestarts);
      counter(registry, l, t, "nudaq.link.connects", "Successful connections to the board", LinkStats::connects);
      counter(registry, l, t, "nudaq.link.reconnects", "Connections after the first one",
          s -> Math.max(0, s.connects() - 1));
      counter(registry, l, t, "nudaq.link.disconnects", "Connections lost", LinkStats::disconnects);
      counter(registry, l, t, "nudaq.link.connect.failures", "Connection attempts that failed", LinkStats::connectFailures);
      counter(registry, l, t, "nudaq.link.backpressure.pauses", "Times reading paused because the pipeline fell behind",
          LinkStats::backpressurePauses);
    }
  }

  private static void counter(MeterRegistry registry, LinkStats l, Tags t, String name, String help, ToDoubleFunction<LinkStats> f) {
    FunctionCounter.builder(name, l, f).description(help).tags(t).register(registry);
  }

  private static void bytes(MeterRegistry registry, LinkStats l, Tags t, String name, String help, ToDoubleFunction<LinkStats> f) {
    FunctionCounter.builder(name, l, f).baseUnit("bytes").description(help).tags(t).register(registry);
  }
}
