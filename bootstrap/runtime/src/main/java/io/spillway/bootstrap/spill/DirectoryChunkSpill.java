package io.spillway.bootstrap.spill;

import io.spillway.application.port.out.ChunkSpill;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.CorruptChunkException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spill in a local directory, one file per chunk (docs/spill.md): {@code chunk-<sequence>.spill}
 * holds a 13-byte frame (magic {@code SPWS}, version, record length, CRC32C of the record) and the
 * chunk record. A file is written under a temporary name, forced to disk and renamed atomically,
 * so a crash never leaves a half entry under a valid name; a file that fails its checks is renamed
 * to {@code .corrupt} and kept for an operator, never published, never deleted.
 */
public final class DirectoryChunkSpill implements ChunkSpill {
  private static final Logger log = LoggerFactory.getLogger(DirectoryChunkSpill.class);

  static final byte[] MAGIC = {'S', 'P', 'W', 'S'};
  static final int VERSION = 1;
  static final int FRAME_BYTES = 4 + 1 + 4 + 4;
  static final String SUFFIX = ".spill";
  static final String TEMPORARY = ".tmp";
  static final String CORRUPT = ".corrupt";
  private static final Pattern NAME = Pattern.compile("chunk-(\\d{19})\\.spill(\\.corrupt)?");

  private final Path directory;
  private final long capacityBytes;
  /** Entries held (sequence to record bytes), oldest first; guarded by {@code this}. */
  private final TreeMap<Long, Integer> held = new TreeMap<>();
  private long sizeBytes;
  /** Bytes of appends being written, counted against the capacity until they land or fail. */
  private long writingBytes;
  private long nextSequence;
  private long corrupt;

  /**
   * Opens (creating it if need be) the directory and takes stock of what a previous process left:
   * temporary files of writes a crash cut short are deleted (their chunks never counted as spilled),
   * files already set aside are counted. Fails with a {@link PermanentStoreException} naming the
   * directory if it cannot be created, listed or written.
   */
  public DirectoryChunkSpill(Path directory, long capacityBytes) {
    if (capacityBytes < 1) {
      throw new InvalidFieldException("spill.capacityBytes", capacityBytes, ">= 1");
    }
    this.directory = directory;
    this.capacityBytes = capacityBytes;
    try {
      Files.createDirectories(directory);
      if (!Files.isWritable(directory)) {
        throw new IOException("not writable");
      }
      long highest = -1;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (name.endsWith(TEMPORARY)) {
            log.warn("deleting {}: a spill write a crash cut short (its chunk was never counted as spilled)", file);
            Files.deleteIfExists(file);
            continue;
          }
          Matcher m = NAME.matcher(name);
          if (!m.matches()) {
            continue;
          }
          long sequence = Long.parseLong(m.group(1));
          highest = Math.max(highest, sequence);
          if (m.group(2) != null) {
            corrupt++;
            continue;
          }
          long length = Files.size(file) - FRAME_BYTES;
          if (length < 1 || length > Integer.MAX_VALUE) {
            setAside(file, "its size " + Files.size(file) + " leaves no record after the " + FRAME_BYTES + "-byte frame");
            continue;
          }
          held.put(sequence, (int) length);
          sizeBytes += length;
        }
      }
      nextSequence = highest + 1;
    } catch (IOException e) {
      throw new PermanentStoreException(directory.toString(), "spill directory " + directory + " cannot be used: " + e, e);
    }
    if (!held.isEmpty()) {
      log.info("spill {} holds {} chunks ({} bytes) left by a previous process", directory, held.size(), sizeBytes);
    }
  }

  @Override
  public long capacityBytes() {
    return capacityBytes;
  }

  @Override
  public synchronized long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public Optional<SpilledChunk> append(Chunk chunk) {
    byte[] record = chunk.record();
    long sequence;
    synchronized (this) {
      if (sizeBytes + writingBytes + record.length > capacityBytes) {
        return Optional.empty();
      }
      sequence = nextSequence++;
      writingBytes += record.length;
    }
    boolean landed = false;
    try {
      write(sequence, record);
      landed = true;
    } finally {
      synchronized (this) {
        writingBytes -= record.length;
        if (landed) {
          held.put(sequence, record.length);
          sizeBytes += record.length;
        }
      }
    }
    return Optional.of(new SpilledChunk(sequence, record.length));
  }

  @Override
  public SpillRead read(SpilledChunk entry) {
    Path file = file(entry.sequence());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      if (Files.exists(corruptFile(entry.sequence()))) {
        return new SpillRead.Corrupt(entry, "set aside earlier as " + corruptFile(entry.sequence()));
      }
      throw new IllegalArgumentException("the spill holds no entry " + entry.sequence() + " (" + file + ")");
    } catch (IOException e) {
      throw new RetryableStoreException("reading spilled chunk " + file + " failed: " + e, e);
    }
    String damage = damage(bytes, entry);
    if (damage == null) {
      try {
        return new SpillRead.Intact(ChunkFormat.parse(java.util.Arrays.copyOfRange(bytes, FRAME_BYTES, bytes.length)));
      } catch (CorruptChunkException e) {
        damage = "its chunk record fails its own checks: " + e.getMessage();
      }
    }
    return new SpillRead.Corrupt(entry, setAside(file, damage));
  }

  @Override
  public void remove(SpilledChunk entry) {
    try {
      Files.deleteIfExists(file(entry.sequence()));
    } catch (IOException e) {
      throw new RetryableStoreException("removing spilled chunk " + file(entry.sequence()) + " failed: " + e, e);
    }
    forget(entry.sequence());
  }

  @Override
  public synchronized List<SpilledChunk> entries() {
    List<SpilledChunk> out = new ArrayList<>(held.size());
    for (Map.Entry<Long, Integer> e : held.entrySet()) {
      out.add(new SpilledChunk(e.getKey(), e.getValue()));
    }
    return out;
  }

  @Override
  public synchronized long corruptEntries() {
    return corrupt;
  }

  /** The directory the spill lives in. */
  public Path directory() {
    return directory;
  }

  Path file(long sequence) {
    return directory.resolve(String.format("chunk-%019d%s", sequence, SUFFIX));
  }

  private Path corruptFile(long sequence) {
    return directory.resolve(file(sequence).getFileName() + CORRUPT);
  }

  /** Why the framed bytes are not the entry's record, or null if the frame holds. */
  private static String damage(byte[] bytes, SpilledChunk entry) {
    if (bytes.length < FRAME_BYTES) {
      return "the file has " + bytes.length + " bytes, shorter than the " + FRAME_BYTES + "-byte frame";
    }
    ByteBuffer frame = ByteBuffer.wrap(bytes, 0, FRAME_BYTES);
    for (byte b : MAGIC) {
      if (frame.get() != b) {
        return "the file does not start with SPWS";
      }
    }
    int version = frame.get() & 0xFF;
    if (version != VERSION) {
      return "frame version " + version + " (this reader knows " + VERSION + ")";
    }
    int length = frame.getInt();
    int declared = frame.getInt();
    if (length != bytes.length - FRAME_BYTES || length != entry.bytes()) {
      return "the frame declares " + length + " record bytes, the file holds " + (bytes.length - FRAME_BYTES) + " and the entry " + entry.bytes();
    }
    int actual = crc32c(bytes, FRAME_BYTES, length);
    if (declared != actual) {
      return String.format("declared CRC32C %08x, computed %08x over %d bytes", declared, actual, length);
    }
    return null;
  }

  private void write(long sequence, byte[] record) {
    Path target = file(sequence);
    Path temporary = directory.resolve(target.getFileName() + TEMPORARY);
    ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
    frame.put(MAGIC).put((byte) VERSION).putInt(record.length).putInt(crc32c(record, 0, record.length)).flip();
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer body = ByteBuffer.wrap(record);
        while (frame.hasRemaining() || body.hasRemaining()) {
          out.write(new ByteBuffer[] {frame, body});
        }
        out.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      forceDirectory();
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException ignored) {
        // the next open deletes it
      }
      throw new RetryableStoreException("spilling a chunk to " + target + " failed: " + e, e);
    }
  }

  /** Makes the rename durable; where the file system cannot open a directory for it, the rename stands as written. */
  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      log.debug("cannot force directory {} to disk: {}", directory, e.toString());
    }
  }

  /** Renames the file aside, stops counting it, and says why and where it went. */
  private String setAside(Path file, String why) {
    long sequence = sequenceOf(file);
    Path aside = directory.resolve(file.getFileName() + CORRUPT);
    String reason = file + ": " + why;
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      reason += "; set aside as " + aside;
    } catch (IOException e) {
      reason += "; could not be set aside (" + e + "), left in place and no longer counted";
    }
    log.error("corrupt spill entry {}", reason);
    synchronized (this) {
      corrupt++;
    }
    forget(sequence);
    return reason;
  }

  private synchronized void forget(long sequence) {
    Integer bytes = held.remove(sequence);
    if (bytes != null) {
      sizeBytes -= bytes;
    }
  }

  private static long sequenceOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a spill file: " + file);
    }
    return Long.parseLong(m.group(1));
  }

  private static int crc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }
}
