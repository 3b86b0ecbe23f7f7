package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.ChunkSpill;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.Chunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A spill kept in memory, for tests and simulations: a publisher built again over the same object
 * finds what the previous one left, as a restarted process finds its spill directory. Entries can
 * be damaged on demand, as a failing disk would, to try the corruption path. Thread-safe.
 */
public final class InMemoryChunkSpill implements ChunkSpill {
  private final long capacityBytes;
  private final TreeMap<Long, Chunk> held = new TreeMap<>();
  private final Set<Long> damaged = new HashSet<>();
  private final List<Long> setAside = new ArrayList<>();
  private long sizeBytes;
  private long maxSizeBytes;
  private long nextSequence;

  public InMemoryChunkSpill(long capacityBytes) {
    if (capacityBytes < 1) {
      throw new InvalidFieldException("spill.capacityBytes", capacityBytes, ">= 1");
    }
    this.capacityBytes = capacityBytes;
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
  public synchronized Optional<SpilledChunk> append(Chunk chunk) {
    int bytes = chunk.record().length;
    if (sizeBytes + bytes > capacityBytes) {
      return Optional.empty();
    }
    long sequence = nextSequence++;
    held.put(sequence, chunk);
    sizeBytes += bytes;
    maxSizeBytes = Math.max(maxSizeBytes, sizeBytes);
    return Optional.of(new SpilledChunk(sequence, bytes));
  }

  @Override
  public synchronized SpillRead read(SpilledChunk entry) {
    Chunk chunk = held.get(entry.sequence());
    if (chunk == null) {
      if (setAside.contains(entry.sequence())) {
        return new SpillRead.Corrupt(entry, "entry " + entry.sequence() + " was set aside as corrupt");
      }
      throw new IllegalArgumentException("the spill holds no entry " + entry.sequence());
    }
    if (damaged.contains(entry.sequence())) {
      held.remove(entry.sequence());
      sizeBytes -= chunk.record().length;
      setAside.add(entry.sequence());
      return new SpillRead.Corrupt(entry, "entry " + entry.sequence() + " was damaged; set aside");
    }
    return new SpillRead.Intact(chunk);
  }

  @Override
  public synchronized void remove(SpilledChunk entry) {
    Chunk chunk = held.remove(entry.sequence());
    if (chunk != null) {
      sizeBytes -= chunk.record().length;
    }
  }

  @Override
  public synchronized List<SpilledChunk> entries() {
    List<SpilledChunk> out = new ArrayList<>(held.size());
    for (Map.Entry<Long, Chunk> e : held.entrySet()) {
      out.add(new SpilledChunk(e.getKey(), e.getValue().record().length));
    }
    return out;
  }

  @Override
  public synchronized long corruptEntries() {
    return setAside.size();
  }

  /** Damages the entry: the next read finds it corrupt and sets it aside. */
  public synchronized void damage(SpilledChunk entry) {
    damaged.add(entry.sequence());
  }

  /** The most bytes it ever held (what a bound is checked against). */
  public synchronized long maxSizeBytes() {
    return maxSizeBytes;
  }

  /** The chunks it holds, oldest first. */
  public synchronized List<Chunk> chunks() {
    return List.copyOf(held.values());
  }
}
