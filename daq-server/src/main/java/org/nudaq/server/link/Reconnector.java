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
 * <p>Logged once per change of its {@link ConnectionState} (in {@link ConnectionCounts#state()}, the metric
 * {@code nudaq_link_state}), not once per attempt: a board that is off, or a finished run that still answers
 * each connection with HELLO and GOODBYE, is retried with the capped backoff forever (a board the shift crew
 * restarts is picked up again) with one WARN line when it was lost and one INFO line when a connection works
 * again (the owner's {@link #resetBackoff}), saying how many attempts it took; each attempt in between is
 * logged at DEBUG only.
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
  /** Attempts since the state became RETRYING (the first failure or loss included); event loop. */
  private long failedAttempts;
  /** When the state became RETRYING, System.nanoTime(); event loop. */
  private long retryingSinceNs;

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

  /**
   * The connection delivers what it should: the state is {@link ConnectionState#CONNECTED} (logged when it
   * changes) and the next loss starts the backoff from its initial delay again. Event loop.
   */
  public void resetBackoff() {
    backoff.reset();
    ConnectionState was = counts.state;
    if (was == ConnectionState.CONNECTED || was == ConnectionState.CLOSED) {
      return;
    }
    setState(ConnectionState.CONNECTED);
    if (was == ConnectionState.RETRYING) {
      log.info("{}: connected to {}:{} again, after {} attempts in {} s", name, host, port, failedAttempts,
          Math.round((System.nanoTime() - retryingSinceNs) * 1e-9));
    } else {
      log.info("{}: connected to {}:{}", name, host, port);
    }
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
    if (counts.state != ConnectionState.RETRYING) {
      setState(ConnectionState.RETRYING);
      failedAttempts = 1;
      retryingSinceNs = System.nanoTime();
      log.warn("{}: {}; reconnecting in {} ms, then with delays doubling up to {} ms until a connection works (one line "
          + "then; the attempts between are not logged)", name, why, delay, backoff.maxMs());
    } else {
      failedAttempts++;
      log.debug("{}: {}; reconnecting in {} ms", name, why, delay);
    }
    bootstrap.config().group().next().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /**
   * Sets the state, on the event loop; CLOSED stays: a {@link #close} on another thread between this thread's test
   * of {@code closed} and its write is seen by the test after the write (both volatile), which puts CLOSED back.
   */
  private void setState(ConnectionState state) {
    counts.state = state;
    if (closed) {
      counts.state = ConnectionState.CLOSED;
    }
  }

  /**
   * Stops reconnecting, reads what the socket already holds ({@link FinalRead}: what the other end sent and
   * this host's TCP acknowledged), then closes the connection; waits for both.
   */
  @Override
  public void close() {
    closed = true;
    counts.state = ConnectionState.CLOSED;
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
