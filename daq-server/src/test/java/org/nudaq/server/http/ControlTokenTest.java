package org.nudaq.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlTokenTest {

  @Test
  void missingTokenFileIsCreatedOwnerOnlyWith32RandomBytesInHex(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/control.token");
    ControlToken t = ControlToken.loadOrCreate(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String token = Files.readString(file).trim();
    assertThat(token).matches("[0-9a-f]{64}");
    assertThat(t.authorizes("Bearer " + token)).isTrue();
    assertThat(ControlToken.loadOrCreate(file).authorizes("Bearer " + token)).as("read back, not regenerated").isTrue();
    assertThat(ControlToken.loadOrCreate(dir.resolve("other.token")).authorizes("Bearer " + token)).isFalse();
  }

  @Test
  void onlyTheExactBearerTokenAuthorizes(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t");
    Files.writeString(file, "0123456789abcdef0123\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    ControlToken t = ControlToken.loadOrCreate(file);
    assertThat(t.authorizes("Bearer 0123456789abcdef0123")).isTrue();
    assertThat(t.authorizes("bearer 0123456789abcdef0123")).isTrue();
    assertThat(t.authorizes(null)).isFalse();
    assertThat(t.authorizes("0123456789abcdef0123")).isFalse();
    assertThat(t.authorizes("Basic 0123456789abcdef0123")).isFalse();
    assertThat(t.authorizes("Bearer 0123456789abcdef012")).isFalse();
    assertThat(t.authorizes("Bearer 0123456789abcdef01234")).isFalse();
  }

  @Test
  void tokenFileReadableByOthersRefusesToStartNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("loose.token");
    Files.writeString(file, "0123456789abcdef0123456789abcdef\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> ControlToken.loadOrCreate(file)).isInstanceOf(ControlTokenException.class)
        .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> ControlToken.loadOrCreate(file)).isInstanceOf(ControlTokenException.class);
  }
}
