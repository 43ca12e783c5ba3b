package org.nudaq.server.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;
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
  private final EventLoopGroup group;
  private final FrameSink sink;
  private final LinkStats stats;
  private final SequenceTracker sequence;
  private final Backoff backoff;
  private final int connectTimeoutMs;
  private final Bootstrap bootstrap;
  private volatile boolean closed;
  private volatile Channel channel;

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
    this.group = group;
    this.sink = sink;
    this.stats = stats;
    this.backoff = new Backoff(reconnectInitialMs, reconnectMaxMs, 0x9E3779B97F4A7C15L ^ board.id());
    this.connectTimeoutMs = (int) connectTimeoutMs;
    this.bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, this.connectTimeoutMs)
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
  }

  public LinkStats stats() {
    return stats;
  }

  public BoardConfig board() {
    return board;
  }

  /** Starts connecting (asynchronously). */
  public void start() {
    group.next().execute(this::connect);
  }

  private void connect() {
    if (closed) {
      return;
    }
    ChannelFuture f = bootstrap.connect(board.host(), board.port());
    f.addListener(done -> {
      if (!done.isSuccess()) {
        stats.connectFailures.incrementAndGet();
        scheduleReconnect("cannot connect to " + board.host() + ":" + board.port() + ": " + done.cause().getMessage());
        return;
      }
      Channel ch = f.channel();
      channel = ch;
      stats.connects.incrementAndGet();
      LOG.info("board {}: connected to {}:{}", board.id(), board.host(), board.port());
      ch.closeFuture().addListener(c -> {
        stats.disconnects.incrementAndGet();
        scheduleReconnect("link to " + board.host() + ":" + board.port() + " lost");
      });
      if (closed) {
        ch.close();
      }
    });
  }

  /**
   * Continues sequence tracking after the last frame of this board in the journal (crash recovery):
   * frames the board sent while the daemon was down then count as lost, by the usual gap rule. Call
   * before {@link #start()}.
   */
  public void resumeAfter(long lastJournaledSequence) {
    sequence.resumeAfter(lastJournaledSequence);
  }

  /** The connection delivers data: the next loss starts the backoff from its initial delay again. */
  private void dataSeen() {
    backoff.reset();
  }

  private void scheduleReconnect(String why) {
    if (closed) {
      return;
    }
    long delay = backoff.nextDelayMs();
    LOG.warn("board {}: {}; reconnecting in {} ms", board.id(), why, delay);
    group.next().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** Stops reconnecting and closes the link. */
  @Override
  public void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close().syncUninterruptibly();
    }
  }
}
