package org.nudaq.monitor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CrcTest {

  private final Crc crc = new Crc();

  @Test
  void matchesPublishedCrc32cCheckValue() {
    // CRC-32C/ISCSI catalogue check value: crc("123456789") = 0xE3069283 (RFC 3720 / reveng catalogue).
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(crc.crc32c(check, 0, check.length)).isEqualTo(0xE3069283);
  }

  @Test
  void coversOnlyTheRequestedRegionOfHeapAndDirectBuffers() {
    byte[] framed = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer heap = ByteBuffer.wrap(framed);
    ByteBuffer direct = ByteBuffer.allocateDirect(framed.length).put(framed).flip();
    assertThat(crc.crc32c(heap, 2, 9)).isEqualTo(0xE3069283);
    assertThat(crc.crc32c(direct, 2, 9)).isEqualTo(0xE3069283);
    assertThat(crc.crc32c(heap.asReadOnlyBuffer(), 2, 9)).isEqualTo(0xE3069283);
    assertThat(direct.position()).isZero();
    assertThat(direct.limit()).isEqualTo(framed.length);
  }
}
