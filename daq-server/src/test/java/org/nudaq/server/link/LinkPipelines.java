package org.nudaq.server.link;

import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Test access to a board link's real channel pipeline (the package-private
 * {@link BoardFrameHandler} behind {@link WireFrameDecoder}) for tests outside this package.
 */
public final class LinkPipelines {
  private LinkPipelines() {}

  /** An EmbeddedChannel with the link's decoder and connection rules for {@code boardId}. */
  public static EmbeddedChannel embedded(int boardId, LinkStats stats, FrameSink sink) {
    return new EmbeddedChannel(
        new WireFrameDecoder(stats), new BoardFrameHandler(boardId, stats, new SequenceTracker(1L << 32), () -> {}, sink, 10_000));
  }
}
