package org.nudaq.server.compass;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.link.Backoff;
import org.nudaq.server.link.FrameSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connection to CoMPASS's online TCP output ({@code compass.stream}): a Netty client that
 * connects, decodes the unframed records into wire frames for the boards {@code compass.channels} maps
 * onto ({@link CompassStreamHandler}) and, whenever the connection is lost or cannot be made, tries
 * again after a capped exponential backoff with jitter (the digitizer section's reconnect settings),
 * until closed. Each connection finds the record alignment anew.
 *
 * <p>Thread-safety: {@link #start}, {@link #close} and the stats from any thread; the rest runs on the
 * link's event loop.
 */
public final class CompassStreamLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompassStreamLink.class);

  private final CompassStreamConfig stream;
  private final EventLoopGroup group;
  private final CompassStreamStats stats = new CompassStreamStats();
  private final CompassStreamDecoder decoder;
  private final CompassFrameAssembler assembler;
  private final Backoff backoff;
  private final Bootstrap bootstrap;
  private final String where;
  private volatile boolean closed;
  private volatile Channel channel;

  /** @throws IllegalArgumentException if compass.channels maps onto a channel the digitizer section does not have */
  public CompassStreamLink(NudaqConfig config, EventLoopGroup group, FrameSink sink) {
    this.stream = config.compass().stream();
    this.group = group;
    this.where = stream.host() + ":" + stream.port();
    this.decoder = new CompassStreamDecoder(stream, config);
    this.assembler = new CompassFrameAssembler(config, (boardId, buffer, length) -> {
      throw new IllegalStateException("no connection"); // replaced per connection by the handler
    });
    this.backoff = new Backoff(config.digitizer().reconnectInitialMs(), config.digitizer().reconnectMaxMs(), 0xC0DE_CAE0L);
    this.bootstrap = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.digitizer().connectTimeoutMs())
        .option(ChannelOption.SO_KEEPALIVE, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            CompassStreamHandler h = new CompassStreamHandler(where, decoder, assembler, sink, stats);
            assembler.output(h);
            ch.pipeline().addLast("compass", h);
          }
        });
  }

  public CompassStreamStats stats() {
    return stats;
  }

  /** Our board ids this source feeds. */
  public int[] boardIds() {
    return assembler.boardIds();
  }

  /** Continues a board's frame sequence after the last one journaled (crash recovery); before {@link #start()}. */
  public void resumeAfter(int boardId, long lastJournaledSequence) {
    assembler.resumeAfter(boardId, lastJournaledSequence);
  }

  /** Starts connecting (asynchronously). */
  public void start() {
    group.next().execute(this::connect);
  }

  private void connect() {
    if (closed) {
      return;
    }
    ChannelFuture f = bootstrap.connect(stream.host(), stream.port());
    f.addListener(done -> {
      if (!done.isSuccess()) {
        stats.connectFailures.incrementAndGet();
        scheduleReconnect("cannot connect: " + done.cause().getMessage());
        return;
      }
      Channel ch = f.channel();
      channel = ch;
      stats.connects.incrementAndGet();
      backoff.reset();
      LOG.info("CoMPASS stream {}: connected; searching for the record alignment", where);
      ch.closeFuture().addListener(c -> {
        stats.disconnects.incrementAndGet();
        scheduleReconnect("connection lost");
      });
      if (closed) {
        ch.close();
      }
    });
  }

  private void scheduleReconnect(String why) {
    if (closed) {
      return;
    }
    long delay = backoff.nextDelayMs();
    LOG.warn("CoMPASS stream {}: {}; reconnecting in {} ms", where, why, delay);
    group.next().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** Stops reconnecting and closes the connection. */
  @Override
  public void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      ch.close().syncUninterruptibly();
    }
  }
}
