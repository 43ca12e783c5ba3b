package org.nudaq.server.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a configuration text: what a checkpoint records of the configuration it was taken under. Stateless. */
public final class ConfigDigest {
  private ConfigDigest() {}

  /** SHA-256 of the UTF-8 bytes of {@code configText}, 32 bytes. */
  public static byte[] sha256(String configText) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(configText.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }
}
