package org.nudaq.server.http;

/**
 * A request the server answers with an error status and a JSON body
 * {@code {"error": message, "status": status}}; thrown while handling a request, never per event.
 */
public final class HttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
