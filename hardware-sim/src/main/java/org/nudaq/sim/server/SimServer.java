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
 * The TCP side of the simulator: one listening port per board, like a rack of digitizers, each
 * serving its {@link BoardLink}. Netty 4.2 NIO transport; one acceptor thread and up to two I/O
 * threads. Outbound memory per connection is bounded by the write-buffer water marks (64 KiB low,
 * 512 KiB high); beyond them the link stops writing and frames wait in the board's bounded buffer.
 *
 * <p>{@link #start} and {@link #close} from one thread; {@link #boundAddress} from any thread after
 * start.
 */
public final class SimServer implements AutoCloseable {
  private final List<BoardLink> links;
  private final List<InetSocketAddress> endpoints;
  private final List<Channel> servers = new ArrayList<>();
  private EventLoopGroup boss;
  private EventLoopGroup workers;

  /**
   * @param links     one per board
   * @param endpoints where each board listens (port 0: any free port, see {@link #boundAddress})
   */
  public SimServer(List<BoardLink> links, List<InetSocketAddress> endpoints) {
    if (links.size() != endpoints.size()) {
      throw new IllegalArgumentException("one endpoint per board: links=" + links.size() + " endpoints=" + endpoints.size());
    }
    this.links = List.copyOf(links);
    this.endpoints = List.copyOf(endpoints);
  }

  /**
   * Binds every board's port and schedules the stall faults.
   *
   * @throws IllegalStateException naming the board and address when a port cannot be bound
   */
  public void start() {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(Math.min(2, links.size()), NioIoHandler.newFactory());
    for (int i = 0; i < links.size(); i++) {
      BoardLink link = links.get(i);
      InetSocketAddress at = endpoints.get(i);
      try {
        servers.add(listen(boss, workers, link, link.board().boardId(), at));
      } catch (IllegalStateException e) {
        close();
        throw e;
      }
      link.scheduleStall(workers);
    }
  }

  /** The address board {@code i} listens on (with the real port when 0 was asked for). */
  public InetSocketAddress boundAddress(int i) {
    return (InetSocketAddress) servers.get(i).localAddress();
  }

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
  public static Channel listen(EventLoopGroup boss, EventLoopGroup workers, ServedLink link, int boardId, InetSocketAddress at) {
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
