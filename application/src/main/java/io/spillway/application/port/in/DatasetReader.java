package io.spillway.application.port.in;

import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.domain.event.Event;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A pull read of a dataset: the caller takes events at its own pace while the buckets are read and
 * decompressed ahead of it, never more than a bounded number of chunks ahead. Close it (a
 * try-with-resources block) to stop the read early: its bucket tasks end and their threads return.
 *
 * <p>{@link #hasNext()} and {@link #next()} throw {@link IncompleteDatasetException} when a chunk
 * fails its checks, and {@code hasNext()} throws it at the end when the whole does not add up; the
 * events delivered before that were delivered. One thread at a time.
 */
public interface DatasetReader extends Iterator<Event>, AutoCloseable {

  /**
   * Where the read stands after the events delivered so far: resume from it with {@link
   * Datasets#open(ReadPosition)}, in this process or, by way of {@link ReadPosition#token()}, another.
   */
  ReadPosition position();

  /**
   * What the read has delivered so far, counting what the position it resumed from carried;
   * {@code verifiedAgainstManifest} turns true once a whole-dataset read has passed the manifest
   * check at its end.
   */
  DatasetSummary summary();

  /** The events as a sequential stream; closing the stream closes the reader. */
  default Stream<Event> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(this::close);
  }

  /** Stops the read: cancels its bucket tasks and waits (briefly) for them to let go of the store. Idempotent. */
  @Override
  void close();
}
