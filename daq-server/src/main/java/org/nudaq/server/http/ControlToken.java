package org.nudaq.server.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token that authorises control actions. It lives in a file readable by its owner only:
 * a missing file is created with 32 random bytes in hex and permissions {@code rw-------}; an
 * existing file with any group or other permission is refused (the daemon does not start), since
 * anyone who can read it could change the reactor state.
 *
 * <p>Immutable and thread-safe; comparisons take constant time.
 */
public final class ControlToken {
  private static final Logger LOG = LoggerFactory.getLogger(ControlToken.class);
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final byte[] token;
  private final Path file;

  private ControlToken(byte[] token, Path file) {
    this.token = token;
    this.file = file;
  }

  /** Reads the token file, creating it (owner-only) when missing. */
  public static ControlToken loadOrCreate(Path file) {
    try {
      if (Files.notExists(file)) {
        create(file);
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      Set<PosixFilePermission> extra = EnumSet.copyOf(perms);
      extra.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE));
      if (!extra.isEmpty()) {
        throw new ControlTokenException("control token file " + file.toAbsolutePath() + " has permissions "
            + PosixFilePermissions.toString(perms) + "; it must be readable by its owner only (chmod 600 "
            + file.toAbsolutePath() + ")", null);
      }
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (text.length() < 16) {
        throw new ControlTokenException("control token file " + file.toAbsolutePath()
            + " holds a token of " + text.length() + " characters; at least 16 are needed", null);
      }
      return new ControlToken(text.getBytes(StandardCharsets.UTF_8), file);
    } catch (IOException e) {
      throw new ControlTokenException("cannot read or create the control token file " + file.toAbsolutePath() + ": " + e, e);
    } catch (UnsupportedOperationException e) {
      throw new ControlTokenException("control token file " + file.toAbsolutePath()
          + ": the file system has no POSIX permissions, so owner-only access cannot be checked", e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      return; // created concurrently: read and check it like any existing file
    }
    // createFile honours the umask, which can only remove bits: set them explicitly anyway.
    Files.setPosixFilePermissions(file, OWNER_ONLY);
    Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
    LOG.info("created control token file {} (owner read/write only)", file.toAbsolutePath());
  }

  /** True if the Authorization header value is {@code Bearer <token>}. */
  public boolean authorizes(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  public Path file() {
    return file;
  }
}
