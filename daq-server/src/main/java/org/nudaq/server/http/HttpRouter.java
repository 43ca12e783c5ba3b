package org.nudaq.server.http;

import org.nudaq.server.pipeline.ReactorState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.nudaq.monitor.config.GateConfig;
import org.nudaq.monitor.spectrum.SpectrumCsv;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.daemon.Daemon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the daemon's HTTP requests: {@code /metrics}, the web page's files, the JSON API and the
 * token-protected control actions. Every error is a JSON document {@code {"error", "status"}} and is
 * counted in {@code nudaq_http_errors_total{status}}. A control request that is unauthenticated or
 * malformed changes nothing: authorisation and parsing come before any action.
 *
 * <p>Sharable and thread-safe; slow work (snapshot files) runs on the given executor, pipeline
 * commands on the pipeline thread, and the response is written when they complete.
 *
 * <p>Size: at the ~400-line rule: the route table, the control actions (authorisation and body parsing
 * before any action) and the query-parameter parsers whose errors name the parameter; the JSON documents
 * are {@link MonitoringApi}'s. The parsers (~60 lines) are what to move out when it grows.
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
  private static final String JSON = "application/json; charset=utf-8";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final int[] COUNTED_STATUSES = {400, 401, 404, 405, 409, 413, 500, 503};

  private final Daemon daemon;
  private final MonitoringApi api;
  private final PrometheusMeterRegistry registry;
  private final ControlToken token;
  private final StaticResources resources;
  private final Executor blocking;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<Integer, Counter> errors = new ConcurrentHashMap<>();
  private final Counter requests;
  /** Runs, logbook and slow control (issue 18). */
  private final ShiftApi shift;

  public HttpRouter(Daemon daemon, MonitoringApi api, PrometheusMeterRegistry registry, ControlToken token,
      StaticResources resources, Executor blocking) {
    this.daemon = daemon;
    this.api = api;
    this.registry = registry;
    this.token = token;
    this.resources = resources;
    this.blocking = blocking;
    this.requests = Counter.builder("nudaq.http.requests").description("HTTP requests handled").register(registry);
    this.shift = new ShiftApi(daemon, registry);
    for (int s : COUNTED_STATUSES) {
      errorCounter(s);
    }
  }

  private Counter errorCounter(int status) {
    return errors.computeIfAbsent(status, s -> Counter.builder("nudaq.http.errors")
        .description("HTTP requests answered with an error, by status").tag("status", Integer.toString(s))
        .register((MeterRegistry) registry));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    requests.increment();
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (req.decoderResult().isFailure()) {
      sendError(ctx, 400, "malformed HTTP request: " + req.decoderResult().cause().getMessage(), false);
      return;
    }
    try {
      route(ctx, req, keepAlive);
    } catch (HttpException e) {
      sendError(ctx, e.status(), e.getMessage(), keepAlive);
    } catch (RuntimeException e) {
      LOG.error("HTTP {} {} failed", req.method(), req.uri(), e);
      sendError(ctx, 500, "internal error: " + e, keepAlive);
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    String path = q.path();
    HttpMethod method = req.method();
    if (path.startsWith("/api/control/")) {
      requireMethod(method, HttpMethod.POST);
      control(ctx, req, path, keepAlive);
      return;
    }
    requireMethod(method, HttpMethod.GET);
    if (ShiftApi.serves(path)) {
      sendJson(ctx, 200, shift.get(path, param(q, "run")), keepAlive);
      return;
    }
    switch (path) {
      case "/metrics" -> metrics(ctx, req, keepAlive);
      case "/api/status" -> sendJson(ctx, 200, api.status(), keepAlive);
      case "/api/limits" -> sendJson(ctx, 200, api.limits(), keepAlive);
      case "/api/limits/history" -> sendJson(ctx, 200, api.limitsHistory(doubleParam(q, "since")), keepAlive);
      case "/api/nai" -> sendJson(ctx, 200, api.nai(), keepAlive);
      case "/api/spectra" -> spectra(ctx, q, keepAlive);
      case "/api/residual" -> sendJson(ctx, 200, api.residual(param(q, "detector"), intParam(q, "rebin", 10)), keepAlive);
      case "/api/calibration" -> sendJson(ctx, 200, api.calibration(param(q, "run") == null ? null
          : longParam(q, "run", 0)), keepAlive); // issue 17
      case "/api/calibration/history" -> sendJson(ctx, 200, api.calibrationHistory(intParam(q, "points", 500),
          longParam(q, "since", Long.MIN_VALUE)), keepAlive);
      default -> {
        if (path.startsWith("/api/")) {
          throw new HttpException(404, "no API endpoint " + path);
        }
        StaticResources.Resource r = resources.find(path);
        if (r == null) {
          throw new HttpException(404, "not found: " + path);
        }
        send(ctx, 200, r.contentType(), r.bytes(), keepAlive, null);
      }
    }
  }

  private void metrics(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
    String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
    String type = accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    byte[] body = registry.scrape(type).getBytes(StandardCharsets.UTF_8);
    send(ctx, 200, type, body, keepAlive, null);
  }

  private void spectra(ChannelHandlerContext ctx, QueryStringDecoder q, boolean keepAlive) {
    SpectrumSnapshot sp = api.spectrum(param(q, "detector"), param(q, "state"), param(q, "stage"));
    String format = param(q, "format");
    if (format == null || format.equals("json")) {
      Map<String, Object> doc = api.spectrumJson(sp);
      String values = param(q, "values");
      if ("counts".equals(values)) { // the page scales counts itself: a third of the bytes
        doc.remove("per1000h");
        doc.remove("errorPer1000h");
      } else if (values != null && !values.equals("all")) {
        throw new HttpException(400, "values must be all or counts, got '" + values + "'");
      }
      sendJson(ctx, 200, doc, keepAlive);
    } else if (format.equals("csv")) {
      Map<String, String> headers = Map.of(HttpHeaderNames.CONTENT_DISPOSITION.toString(),
          "attachment; filename=\"" + sp.labels().name() + ".csv\"");
      send(ctx, 200, "text/csv; charset=utf-8", SpectrumCsv.toCsv(sp).getBytes(StandardCharsets.UTF_8), keepAlive, headers);
    } else {
      throw new HttpException(400, "format must be json or csv, got '" + format + "'");
    }
  }

  private void control(ChannelHandlerContext ctx, FullHttpRequest req, String path, boolean keepAlive) {
    if (!token.authorizes(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      shift.rejectedWithoutToken(path);
      // The token file's path is not told to whoever asks: the operator finds it in the daemon's start output.
      throw new HttpException(401, "control actions need the header Authorization: Bearer <token> (the token is in the "
          + "daemon's control token file, http.tokenFile, printed when the daemon starts)");
    }
    if (ShiftApi.controls(path)) {
      shift.control(path, req.content().toString(StandardCharsets.UTF_8))
          .whenComplete((body, err) -> ctx.executor().execute(() -> replyShift(ctx, body, err, keepAlive)));
      return;
    }
    switch (path) {
      case "/api/control/reactor" -> {
        String state = bodyField(req, "state");
        ReactorState reactorState = switch (state) {
          case "on" -> ReactorState.ON;
          case "off" -> ReactorState.OFF;
          case "unknown" -> ReactorState.UNKNOWN;
          default -> throw new HttpException(400, "state must be \"on\", \"off\" or \"unknown\", got \"" + state + "\"");
        };
        double power = reactorPower(req, reactorState);
        if (daemon.config().gates().reactorStateSource() != GateConfig.ReactorStateSource.CONTROL) {
          throw new HttpException(409, "the reactor state comes from " + label(daemon.config().gates().reactorStateSource())
              + " (gates.reactorStateSource); set it to control to set the state through the API");
        }
        // Journaled before it applies, so replays reproduce it.
        CompletableFuture<Boolean> done = daemon.ingest().submitReactorState(reactorState, power);
        done.whenComplete((changed, err) -> ctx.executor().execute(() -> {
          if (err != null) {
            sendError(ctx, 500, "reactor state not set: " + err, keepAlive);
          } else {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", state);
            m.put("powerFraction", power);
            m.put("changed", changed);
            sendJson(ctx, 200, m, keepAlive);
          }
        }));
      }
      case "/api/control/snapshot" -> CompletableFuture.supplyAsync(api::writeSnapshot, blocking)
          .whenComplete((paths, err) -> ctx.executor().execute(() -> {
            if (err == null) {
              sendJson(ctx, 200, Map.of("files", paths), keepAlive);
            } else if (err.getCause() instanceof HttpException h) {
              sendError(ctx, h.status(), h.getMessage(), keepAlive);
            } else {
              LOG.error("snapshot failed", err);
              sendError(ctx, 500, "snapshot failed: " + (err.getCause() == null ? err : err.getCause()), keepAlive);
            }
          }));
      default -> throw new HttpException(404, "no control action " + path);
    }
  }

  /** The answer to a shift action: its body, or the error (a journal that refuses records: 503). */
  private void replyShift(ChannelHandlerContext ctx, Object body, Throwable err, boolean keepAlive) {
    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause == null) {
      sendJson(ctx, 200, body, keepAlive);
    } else if (cause instanceof HttpException h) {
      sendError(ctx, h.status(), h.getMessage(), keepAlive);
    } else if (cause instanceof org.nudaq.server.ingest.RecordingRefusedException) {
      sendError(ctx, 503, "not journaled, nothing changed: " + cause.getMessage(), keepAlive);
    } else {
      LOG.error("shift action failed", cause);
      sendError(ctx, 500, "shift action failed: " + cause, keepAlive);
    }
  }

  /** The string field {@code name} of the request's JSON object body, or 400. */
  private String bodyField(FullHttpRequest req, String name) {
    String body = req.content().toString(StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpException(400, "body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject() || !node.path(name).isTextual()) {
      throw new HttpException(400, "body must be a JSON object with a string field \"" + name + "\"");
    }
    return node.get(name).asText();
  }

  /**
   * The optional thermal power of a reactor-state request: {@code powerFraction} (of nominal) or
   * {@code powerMW} (divided by reactor.thermalPowerMW), 0..2 × nominal; default nominal when ON, else 0.
   */
  private double reactorPower(FullHttpRequest req, ReactorState state) {
    JsonNode node;
    try {
      node = mapper.readTree(req.content().toString(StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HttpException(400, "body is not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode fraction = node.get("powerFraction");
    JsonNode mw = node.get("powerMW");
    if (fraction != null && mw != null) {
      throw new HttpException(400, "give powerFraction or powerMW, not both");
    }
    double power;
    if (fraction != null) {
      if (!fraction.isNumber()) {
        throw new HttpException(400, "powerFraction must be a number, got " + fraction);
      }
      power = fraction.asDouble();
    } else if (mw != null) {
      if (!mw.isNumber()) {
        throw new HttpException(400, "powerMW must be a number, got " + mw);
      }
      power = mw.asDouble() / daemon.config().reactor().thermalPowerMW();
    } else {
      return state == ReactorState.ON ? 1.0 : 0.0;
    }
    if (!(power >= 0 && power <= 2)) {
      throw new HttpException(400, "reactor power must be 0..2 of nominal (reactor.thermalPowerMW), got " + power);
    }
    return power;
  }

  private static void requireMethod(HttpMethod method, HttpMethod allowed) {
    if (!method.equals(allowed)) {
      throw new HttpException(405, "method " + method + " not allowed here; use " + allowed);
    }
  }

  private static String param(QueryStringDecoder q, String name) {
    List<String> v = q.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** A number parameter, or -infinity when absent. */
  private static double doubleParam(QueryStringDecoder q, String name) {
    String v = param(q, name);
    if (v == null) {
      return Double.NEGATIVE_INFINITY;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpException(400, name + " must be a number (epoch seconds), got " + name + "=" + v);
  }

  private static long longParam(QueryStringDecoder q, String name, long fallback) {
    String v = param(q, name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new HttpException(400, name + " must be an integer, got " + name + "=" + v);
    }
  }

  private static int intParam(QueryStringDecoder q, String name, int fallback) {
    String v = param(q, name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new HttpException(400, name + " must be an integer, got " + name + "=" + v);
    }
  }

  private static String label(Enum<?> e) {
    return MonitoringApi.label(e);
  }

  void sendError(ChannelHandlerContext ctx, int status, String message, boolean keepAlive) {
    errorCounter(status).increment();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("status", status);
    sendJson(ctx, status, m, keepAlive);
  }

  private void sendJson(ChannelHandlerContext ctx, int status, Object body, boolean keepAlive) {
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the response: " + e, e);
    }
    send(ctx, status, JSON, bytes, keepAlive, null);
  }

  private static void send(ChannelHandlerContext ctx, int status, String type, byte[] body, boolean keepAlive,
      Map<String, String> extra) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    res.headers().set("X-Content-Type-Options", "nosniff");
    if (extra != null) {
      extra.forEach((k, v) -> res.headers().set(k, v));
    }
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close(); // a client that sends nothing (or too slowly) holds no connection
    } else {
      super.userEventTriggered(ctx, evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("HTTP connection {} closed after an error: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
