package org.nudaq.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web page's files, served from the class path only: {@code /…} from {@code web/…} and
 * {@code /webjars/uplot/…} from the uPlot WebJar (its version read from the jar's pom.properties,
 * so the page does not name it). Request paths are checked against a strict pattern (letters,
 * digits, '.', '-', '_', single '/'; no "..", no hidden files): there is no way to reach a file of
 * the file system or any other class-path resource.
 *
 * <p>Thread-safe: files are read once and cached (they are small and never change).
 */
public final class StaticResources {
  /** A file to send. */
  public record Resource(byte[] bytes, String contentType) {}

  private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json");

  private final ClassLoader loader;
  private final String uplotRoot;
  private final Map<String, Resource> cache = new ConcurrentHashMap<>();

  public StaticResources(ClassLoader loader) {
    this.loader = loader;
    this.uplotRoot = "META-INF/resources/webjars/uplot/" + webjarVersion(loader, "org.webjars.npm", "uplot") + "/";
  }

  /**
   * The resource for a request path (already decoded, without query), or null if there is none.
   *
   * @throws HttpException 400 for a path that is not allowed (traversal, odd characters)
   */
  public Resource find(String path) {
    if (path.equals("/")) {
      path = "/index.html";
    }
    if (path.length() > 200 || !SAFE.matcher(path).matches() || path.contains("..")) {
      throw new HttpException(400, "path not allowed: only letters, digits, '.', '-', '_' and single '/' ('"
          + abbreviate(path) + "')");
    }
    String ext = path.substring(path.lastIndexOf('.') + 1);
    String type = TYPES.get(ext);
    if (type == null) {
      return null;
    }
    String name = path.startsWith("/webjars/uplot/") ? uplotRoot + path.substring("/webjars/uplot/".length())
        : "web" + path;
    Resource cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        return null;
      }
      Resource r = new Resource(in.readAllBytes(), type);
      cache.put(name, r);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class-path resource " + name + ": " + e, e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private static String webjarVersion(ClassLoader loader, String group, String artifact) {
    String props = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = loader.getResourceAsStream(props)) {
      if (in == null) {
        throw new IllegalStateException("WebJar " + group + ":" + artifact + " is not on the class path (no " + props + ")");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + props + ": " + e, e);
    }
  }
}
