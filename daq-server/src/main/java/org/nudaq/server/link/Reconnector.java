package org.nudaq.server.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A client connection kept made: connects, and whenever the connection cannot be made or is lost,
 * connects again after the {@link Backoff}'s next delay, forever, until closed. What a board's link
 * ({@link BoardLink}) and the CoMPASS stream's ({@code compass.CompassStreamLink}) share: they give the
 * bootstrap (whose handler says what a connection carries) and the counts to keep, say what to do when
 * a connection is made, and when the backoff starts again from its initial delay. Its close reads what the
 * socket already holds before closing ({@link FinalRead}).
 *
 * <p>Thread-safety: {@link #start} and {@link #close} from any thread; the rest runs on the event loop.
 */
public final class Reconnector implements AutoCloseable {
  private final Bootstrap bootstrap;
  private final String host;
  private final int port;
  private final Backoff backoff;
  private final Logger log;
  private final String name;
  private final String cannotConnect;
  private final String lost;
  private final ConnectionCounts counts;
  private final Consumer<Channel> connected;
  private volatile boolean closed;
  private volatile Channel channel;

  /**
   * @param bootstrap     configured with its event loop group, channel, options and handler
   * @param log           the owner's logger: a reconnect is logged as {@code "<name>: <why>; reconnecting in <n> ms"}
   * @param cannotConnect the why of a failed attempt, followed by {@code ": <cause>"}
   * @param lost          the why of a lost connection
   * @param counts        counted here: connections made, lost, and failed attempts
   * @param connected     what the owner does when a connection is made (after it is counted; event loop)
   */
  public Reconnector(Bootstrap bootstrap, String host, int port, Backoff backoff, Logger log, String name,
      String cannotConnect, String lost, ConnectionCounts counts, Consumer<Channel> connected) {
    this.bootstrap = bootstrap;
    this.host = host;
    this.port = port;
    this.backoff = backoff;
    this.log = log;
    this.name = name;
    this.cannotConnect = cannotConnect;
    this.lost = lost;
    this.counts = counts;
    this.connected = connected;
  }

  /** Starts connecting (asynchronously). */
  public void start() {
    bootstrap.config().group().next().execute(this::connect);
  }

  /** The connection delivers what it should: the next loss starts the backoff from its initial delay again. */
  public void resetBackoff() {
    backoff.reset();
  }

  private void connect() {
    if (closed) {
      return;
    }
    ChannelFuture f = bootstrap.connect(host, port);
    f.addListener(done -> {
      if (!done.isSuccess()) {
        counts.connectFailures.incrementAndGet();
        scheduleReconnect(cannotConnect + ": " + done.cause().getMessage());
        return;
      }
      Channel ch = f.channel();
      channel = ch;
      counts.connects.incrementAndGet();
      connected.accept(ch);
      ch.closeFuture().addListener(c -> {
        counts.disconnects.incrementAndGet();
        scheduleReconnect(lost);
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
    log.warn("{}: {}; reconnecting in {} ms", name, why, delay);
    bootstrap.config().group().next().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Stops reconnecting, reads what the socket already holds ({@link FinalRead}: what the other end sent and
   * this host's TCP acknowledged), then closes the connection; waits for both.
   */
  @Override
  public void close() {
    closed = true;
    Channel ch = channel;
    if (ch != null) {
      long read = FinalRead.readWhatArrived(ch);
      if (read > 0) {
        log.info("{}: stopping: read the {} bytes already received before closing the connection", name, read);
      }
      ch.close().syncUninterruptibly();
    }
  }
}
