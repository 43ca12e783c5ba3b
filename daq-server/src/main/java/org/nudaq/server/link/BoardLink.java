package org.nudaq.server.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.nudaq.monitor.config.BoardConfig;
import org.nudaq.monitor.config.DigitizerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connection to one digitizer board. Real digitizers are servers, so the daemon is the
 * client: it connects, and whenever the link is lost or cannot be made it tries again after a
 * capped exponential backoff with jitter, forever, until closed. The backoff starts again from its
 * initial delay when a connection delivers data (its first EVENTS or STATUS frame), not at the HELLO:
 * a board that answers each connection with HELLO and GOODBYE only (a finished run) is retried with
 * growing delays up to digitizer.reconnectMaxMs. Frame sequence tracking survives
 * reconnects, so what the board sent while the link was down is counted as a gap.
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread; everything else runs on the
 * link's event loop.
 */
public final class BoardLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BoardLink.class);

  private final BoardConfig board;
  private final FrameSink sink;
  private final LinkStats stats;
  private final SequenceTracker sequence;
  private final Reconnector connection;

  public BoardLink(BoardConfig board, EventLoopGroup group, FrameSink sink, LinkStats stats,
      long reconnectInitialMs, long reconnectMaxMs, long connectTimeoutMs) {
    this(board, group, sink, stats, reconnectInitialMs, reconnectMaxMs, connectTimeoutMs,
        DigitizerConfig.DEFAULT_HELLO_TIMEOUT_MS, DigitizerConfig.DEFAULT_SEQUENCE_JUMP_MAX_FRAMES);
  }

  /**
   * As above with the HELLO timeout, ms (a connection without a HELLO this long is closed and made
   * again) and the largest sequence jump counted as lost frames (beyond it: a sequence reset).
   */
  public BoardLink(BoardConfig board, EventLoopGroup group, FrameSink sink, LinkStats stats,
      long reconnectInitialMs, long reconnectMaxMs, long connectTimeoutMs, long helloTimeoutMs, long sequenceJumpMaxFrames) {
    this.board = board;
    this.sequence = new SequenceTracker(sequenceJumpMaxFrames);
    this.sink = sink;
    this.stats = stats;
    Bootstrap bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMs)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("frames", new WireFrameDecoder(stats))
                .addLast("board", new BoardFrameHandler(board.id(), stats, sequence, BoardLink.this::dataSeen, sink,
                    helloTimeoutMs));
          }
        });
    String where = board.host() + ":" + board.port();
    this.connection = new Reconnector(bootstrap, board.host(), board.port(),
        new Backoff(reconnectInitialMs, reconnectMaxMs, 0x9E3779B97F4A7C15L ^ board.id()), LOG, "board " + board.id(),
        "cannot connect to " + where, "link to " + where + " lost", stats.connection,
        channel -> LOG.debug("board {}: connection made to {}:{}", board.id(), board.host(), board.port()));
  }

  public LinkStats stats() {
    return stats;
  }

  public BoardConfig board() {
    return board;
  }

  /** Starts connecting (asynchronously). */
  public void start() {
    connection.start();
  }

  /**
   * Continues sequence tracking after the last frame of this board in the journal (crash recovery):
   * frames the board sent while the daemon was down then count as lost, by the usual gap rule. Call
   * before {@link #start()}.
   */
  public void resumeAfter(long lastJournaledSequence) {
    sequence.resumeAfter(lastJournaledSequence, 0);
  }

  /**
   * As {@link #resumeAfter(long)} after a clean stop whose link had numbered frames beyond the last journaled
   * one: the first {@code countedEarlier} frames of the next gap were counted lost by that process's link, so
   * this link does not count them again (the gap journaled with the next frame still holds them). Call before
   * {@link #start()}.
   */
  public void resumeAfter(long lastJournaledSequence, long countedEarlier) {
    sequence.resumeAfter(lastJournaledSequence, countedEarlier);
  }

  /**
   * The last sequence number this link took into the board's numbering (every frame through it was passed on
   * or counted lost), or null when it follows none (no frame yet, or the board restarted and sent nothing
   * since). Not synchronized: read it on another thread only after the link's event loop group has terminated and
   * that thread waited for its termination future (as {@code Daemon.close} does for the journal's CLOSED record);
   * the termination publishes the event loop's writes.
   */
  public Long numberedThrough() {
    return sequence.numberedThrough();
  }

  /** The connection delivers data: the next loss starts the backoff from its initial delay again. */
  private void dataSeen() {
    connection.resetBackoff();
  }

  /** Stops reconnecting and closes the link. */
  @Override
  public void close() {
    connection.close();
  }
}
