package org.nudaq.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's Netty HTTP server: HTTP/1.1 with bounded request line (4 KiB), headers (8 KiB) and
 * body (64 KiB, larger requests get a JSON 413), at most {@code http.maxConnections} connections open
 * (one more gets a JSON 503 and is closed, counted: {@link ConnectionLimit}), connections idle for
 * {@code http.idleTimeoutSeconds} (30 s) closed, and a request that has not arrived whole 10 s after
 * its first byte closed too (slowloris: a client dribbling a byte a second is never idle).
 *
 * <p>Thread-safe start/close; close once.
 */
public final class HttpServer implements AutoCloseable {
  /** Largest request body accepted, bytes. */
  public static final int MAX_CONTENT_BYTES = 64 * 1024;
  /** Responses smaller than this go uncompressed (gzip would not pay for its header), bytes. */
  static final int COMPRESS_ABOVE_BYTES = 1024;
  static final int MAX_INITIAL_LINE_BYTES = 4096;
  static final int MAX_HEADER_BYTES = 8192;
  /** Time from a request's first byte to its last, s: beyond it the connection is closed. */
  static final int REQUEST_SECONDS = 10;

  private final EventLoopGroup group;
  private final Channel channel;
  private final ConnectionLimit limit;

  private HttpServer(EventLoopGroup group, Channel channel, ConnectionLimit limit) {
    this.group = group;
    this.channel = channel;
    this.limit = limit;
  }

  /**
   * Binds {@code bindAddress:port} (port 0: any free port) and serves requests with the router, at most
   * {@code maxConnections} connections at once, each closed after {@code idleSeconds} without traffic.
   */
  public static HttpServer start(String bindAddress, int port, int maxConnections, int idleSeconds, HttpRouter router) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ConnectionLimit limit = new ConnectionLimit(maxConnections);
    try {
      ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ChannelPipeline p = ch.pipeline();
              RequestDeadline deadline = new RequestDeadline(REQUEST_SECONDS);
              p.addLast(limit);
              p.addLast(new IdleStateHandler(idleSeconds, idleSeconds, 0, TimeUnit.SECONDS));
              p.addLast(deadline.firstByte());
              p.addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 8192));
              // gzip for clients that ask (browsers, Prometheus): spectra and scrapes shrink 3-6x over a slow link.
              p.addLast(new HttpContentCompressor(COMPRESS_ABOVE_BYTES, StandardCompressionOptions.gzip()));
              p.addLast(new HttpObjectAggregator(MAX_CONTENT_BYTES) {
                @Override
                protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                  router.sendError(ctx, 413, "request body larger than " + MAX_CONTENT_BYTES + " bytes", false);
                }
              });
              p.addLast(deadline.wholeRequest());
              p.addLast(router);
            }
          });
      Channel ch = b.bind(new InetSocketAddress(bindAddress, port)).syncUninterruptibly().channel();
      return new HttpServer(group, ch, limit);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot listen for HTTP on " + bindAddress + ":" + port + ": " + e, e);
    }
  }

  /**
   * Closes a connection whose request is not complete {@code seconds} after its first byte. Two
   * handlers share one timer: {@link #firstByte()} before the codec arms it on the first bytes of
   * a request, {@link #wholeRequest()} after the aggregator disarms it when the request is whole.
   * One instance per connection; event-loop thread only.
   */
  static final class RequestDeadline {
    private final long seconds;
    private io.netty.util.concurrent.ScheduledFuture<?> timer;

    RequestDeadline(long seconds) {
      this.seconds = seconds;
    }

    io.netty.channel.ChannelInboundHandlerAdapter firstByte() {
      return new io.netty.channel.ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          if (timer == null) {
            timer = ctx.executor().schedule(() -> {
              ctx.close();
            }, seconds, TimeUnit.SECONDS);
          }
          ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
          disarm();
          ctx.fireChannelInactive();
        }
      };
    }

    io.netty.channel.ChannelInboundHandlerAdapter wholeRequest() {
      return new io.netty.channel.ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          disarm();
          ctx.fireChannelRead(msg);
        }
      };
    }

    private void disarm() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }

  /** The address actually bound (the port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  public EventLoopGroup group() {
    return group;
  }

  /** HTTP connections open now. */
  public int openConnections() {
    return limit.open();
  }

  /** Connections refused (503 and closed) because {@code http.maxConnections} were open. */
  public long refusedConnections() {
    return limit.refused();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
