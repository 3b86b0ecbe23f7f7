package io.spillway.bootstrap.pipeline;

import io.spillway.domain.event.Event;
import io.spillway.domain.manifest.DatasetChecksum;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * An order-independent digest of a set of events (sum of mixed per-event CRCs), so a run can
 * check that what was read back is exactly what was produced without holding either in memory.
 */
public final class EventDigest {
  private long sum;
  private long count;

  public synchronized void add(Event e) {
    CRC32C crc = new CRC32C();
    crc.update(e.eventId().getBytes(StandardCharsets.UTF_8));
    crc.update(e.type().getBytes(StandardCharsets.UTF_8));
    crc.update(e.groupKey().getBytes(StandardCharsets.UTF_8));
    crc.update(e.payload());
    long v = crc.getValue() ^ (e.sequence() * 0x9E37_79B9_7F4A_7C15L) ^ e.eventTime().toEpochMilli() ^ ((long) e.schemaVersion() << 48)
        ^ ((long) e.eventTime().getNano() << 20) ^ (e.partition() * 0xC2B2_AE3D_27D4_EB4FL);
    sum += DatasetChecksum.mix((int) (v ^ (v >>> 32))) ^ v;
    count++;
  }

  public synchronized long value() {
    return sum;
  }

  public synchronized long count() {
    return count;
  }
}
