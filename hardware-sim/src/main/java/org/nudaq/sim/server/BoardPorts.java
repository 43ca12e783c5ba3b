package org.nudaq.sim.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The listening ports of a rack of simulated boards and the Netty threads behind them: one acceptor
 * thread, up to two I/O threads, one port per board (write water marks for back-pressure, {@link BoardLinkHandler} on each connection).
 * One place for what {@link SimServer} and the journal replay's {@code ReplayServer} both set up and
 * tear down.
 *
 * <p>{@link #listen} and {@link #close} from one thread; {@link #boundAddress} from any thread after the
 * board's {@link #listen}.
 */
public final class BoardPorts implements AutoCloseable {
  private final List<Channel> servers = new ArrayList<>();
  private EventLoopGroup boss;
  private EventLoopGroup workers;

  /** Starts the acceptor thread and min(2, {@code boards}) I/O threads. */
  public BoardPorts(int boards) {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(Math.min(2, boards), NioIoHandler.newFactory());
  }

  /** The I/O threads (a board's scheduled faults run on them). */
  public EventLoopGroup workers() {
    return workers;
  }

  /**
   * Listens for board {@code boardId}'s client at {@code at}; the boards' addresses are numbered in the
   * order they were listened for.
   *
   * @throws java.io.UncheckedIOException naming the board and address when the port cannot be bound (in use,
   *     an address not of this host); IllegalStateException, naming them too, on any other failure to bind
   */
  public void listen(ServedLink link, int boardId, InetSocketAddress at) {
    servers.add(listen(boss, workers, link, boardId, at));
  }

  /** The address of the {@code i}-th board listened for (with the real port when 0 was asked for). */
  public InetSocketAddress boundAddress(int i) {
    return (InetSocketAddress) servers.get(i).localAddress();
  }

  /** Closes the ports, then stops the threads (at most 2 s each); a second call does nothing. */
  @Override
  public void close() {
    for (Channel c : servers) {
      c.close().awaitUninterruptibly();
    }
    servers.clear();
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      boss = null;
      workers = null;
    }
  }

  /**
   * Listens for one board's digitizer client: the socket settings every simulated board uses
   * (write water marks for back-pressure), with {@link BoardLinkHandler} on each connection.
   *
   * @throws IllegalStateException naming the board and address when the port cannot be bound
   */
  private static Channel listen(EventLoopGroup boss, EventLoopGroup workers, ServedLink link, int boardId, InetSocketAddress at) {
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 512 * 1024))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new BoardLinkHandler(link));
          }
        });
    try {
      return b.bind(at).sync().channel();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String message = "cannot listen for board " + boardId + " at " + at.getHostString() + ":" + at.getPort() + ": "
          + e.getMessage();
      // A port in use or an address not of this host is the operator's to fix: an I/O error, not a bug.
      throw e instanceof java.io.IOException io ? new java.io.UncheckedIOException(message, io) : new IllegalStateException(message, e);
    }
  }
}
