package org.nudaq.server.compass;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.nudaq.monitor.config.CompassStreamConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.server.link.Backoff;
import org.nudaq.server.link.FrameSink;
import org.nudaq.server.link.Reconnector;
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

  private final CompassStreamStats stats = new CompassStreamStats();
  private final CompassStreamDecoder decoder;
  private final CompassFrameAssembler assembler;
  private final Reconnector connection;

  /** @throws IllegalArgumentException if compass.channels maps onto a channel the digitizer section does not have */
  public CompassStreamLink(NudaqConfig config, EventLoopGroup group, FrameSink sink) {
    CompassStreamConfig stream = config.compass().stream();
    String where = stream.host() + ":" + stream.port();
    this.decoder = new CompassStreamDecoder(stream, config);
    this.assembler = new CompassFrameAssembler(config, (boardId, buffer, length) -> {
      throw new IllegalStateException("no connection"); // replaced per connection by the handler
    });
    Bootstrap bootstrap = new Bootstrap()
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
    Backoff backoff = new Backoff(config.digitizer().reconnectInitialMs(), config.digitizer().reconnectMaxMs(), 0xC0DE_CAE0L);
    this.connection = new Reconnector(bootstrap, stream.host(), stream.port(), backoff, LOG, "CoMPASS stream " + where,
        "cannot connect", "connection lost", stats.connection, channel -> connected(where));
  }

  /** A connection made is one that works (there is no HELLO): the backoff and the state start again. Event loop. */
  private void connected(String where) {
    connection.resetBackoff();
    LOG.info("CoMPASS stream {}: connected; searching for the record alignment", where);
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
    connection.start();
  }

  /** Stops reconnecting and closes the connection. */
  @Override
  public void close() {
    connection.close();
  }
}
