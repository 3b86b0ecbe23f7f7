package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.DatasetChecksum;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.TestCodecs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * docs/chunk-format.md says what the code does: its worked example is the record the assembler
 * writes for the example's events, byte for byte (read from the page itself), and its derived
 * values and test vectors are what the code computes.
 */
class FormatPageTest {
  private static final Path PAGE = Path.of("..", "docs", "chunk-format.md");
  private static final JobId JOB = JobId.of("job-42");

  static List<Event> exampleEvents() {
    return List.of(
        new Event(JOB, 7, "0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b", Instant.parse("2024-05-01T12:00:00.123456789Z"), "click", "eu-west", 2,
            "{\"x\":1}".getBytes(StandardCharsets.UTF_8)),
        new Event(JOB, 8, "evt-9", Instant.parse("2024-05-01T12:00:00.120000500Z"), "view", "eu-west", 2, "hi".getBytes(StandardCharsets.UTF_8)),
        new Event(JOB, 10, "A1", Instant.parse("2024-05-01T12:00:01Z"), "click", "eu-west", 3, new byte[0]));
  }

  @Test
  void theWorkedExampleIsTheRecordTheAssemblerWrites() throws IOException {
    List<Chunk> chunks = ChunkFixtures.assemble(JOB, exampleEvents(), 4, TestCodecs.storing());
    assertThat(chunks).hasSize(1);
    Chunk chunk = chunks.get(0);

    assertThat(HexFormat.of().formatHex(chunk.record())).isEqualTo(HexFormat.of().formatHex(hexDumpOnThePage()));
    assertThat(chunk.record()).hasSize(109);
    assertThat(chunk.header().crc32c()).isEqualTo(0xcc0afcee);
    assertThat(chunk.payloadOffset()).isEqualTo(0x20);
    assertThat(StoredItemLayout.partitionKey(chunk.id())).isEqualTo("J#job-42#0");
    assertThat(StoredItemLayout.sortKey(chunk.id())).isEqualTo("C#007#eu-west#0000000000");
    assertThat(StoredItemLayout.groupPrefix("eu-west")).isEqualTo("C#007#eu-west#");
    assertThat(chunk.storedItemSize()).isEqualTo(172);
    assertThat(chunk.writeUnits()).isEqualTo(1);
    assertThat(chunk.id().streamPartitionKey()).isEqualTo("job-42/0/a92e24ac/0");
    assertThat(Long.toHexString(DatasetChecksum.mix(chunk.header().crc32c()))).isEqualTo("91ccf3e180a60406");
    assertThat(ChunkFormat.events(ChunkFormat.parse(hexDumpOnThePage()), TestCodecs.registry())).isEqualTo(exampleEvents());
  }

  @Test
  void theTestVectorsAreWhatTheCodeComputes() {
    CRC32C crc = new CRC32C();
    crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
    assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    assertThat(Long.toHexString(DatasetChecksum.mix(0))).isEqualTo("e220a8397b1dcdaf");
    assertThat(Long.toHexString(DatasetChecksum.mix(0xE3069283))).isEqualTo("dd1c8173b267bcfa");
    assertThat("eu-west".hashCode()).isEqualTo(-1456593748);
    for (int chunk = 0; chunk < 4; chunk++) {
      assertThat(ChunkId.bucketFor("eu-west", chunk, 4)).isEqualTo(chunk);
    }
    String group = "grüße/ü#1";
    assertThat(group.getBytes(StandardCharsets.UTF_8)).hasSize(12);
    assertThat(StoredItemLayout.sortKey(new ChunkId(JOB, ChunkId.bucketFor(group, 41, 4), group, 41))).isEqualTo("C#012#grüße/ü#1#0000000041");
    assertThat(ChunkId.bucketFor(group, 0, 4)).isEqualTo(2);
  }

  /** The bytes of the xxd-style dump in section 11 of the page. */
  private static byte[] hexDumpOnThePage() throws IOException {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    Matcher line = Pattern.compile("(?m)^[0-9a-f]{8}: ((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})").matcher(page);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (line.find()) {
      out.writeBytes(HexFormat.of().parseHex(line.group(1).replace(" ", "")));
    }
    assertThat(out.size()).as("the dump on " + PAGE).isPositive();
    return out.toByteArray();
  }
}
