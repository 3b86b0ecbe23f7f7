package io.spillway.application.service;

import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks at dead letters and replays them once their cause is fixed (a job record restored, a codec
 * deployed): a record that now stores is stored once and its letter removed; one that is still
 * poison keeps its letter, with the new reason on top of the old. Replaying twice is safe: the put
 * is conditional, and the letter is removed only after its chunk is in the table.
 */
public final class DeadLetterReplay {
  private final DeadLetters letters;
  private final IngestService ingest;
  private final Clock clock;

  public DeadLetterReplay(DeadLetters letters, IngestService ingest, Clock clock) {
    this.letters = letters;
    this.ingest = ingest;
    this.clock = clock;
  }

  /** What replaying one letter came to. */
  public sealed interface Replayed {
    String source();

    String position();

    /** The chunk is stored (by this replay, or it was already) and the letter is gone. */
    record Stored(String source, String position, String chunkId, boolean firstWrite) implements Replayed {}

    /** Still poison: the letter stays, now carrying {@code letter.reason()} and the earlier reasons. */
    record StillPoison(String source, String position, DeadLetter letter) implements Replayed {}

    /** Only the head of a record larger than a letter keeps was kept: it cannot be replayed from here. */
    record NotReplayable(String source, String position, String why) implements Replayed {}

    /** The table could not take it now; nothing changed, replay it again later. */
    record NotNow(String source, String position, String why) implements Replayed {}

    /** There is no letter at that source and position (never written, or replayed already). */
    record NoSuchLetter(String source, String position) implements Replayed {}
  }

  /** Up to {@code limit} letters, oldest first. */
  public List<DeadLetter> list(int limit) {
    return letters.list(limit);
  }

  public long count() {
    return letters.count();
  }

  public Optional<DeadLetter> find(String source, String position) {
    return letters.find(source, position);
  }

  /** Replays the letter of this source and position. */
  public Replayed replay(String source, String position) {
    Optional<DeadLetter> found = letters.find(source, position);
    if (found.isEmpty()) {
      return new Replayed.NoSuchLetter(source, position);
    }
    DeadLetter letter = found.get();
    if (letter.truncated()) {
      return new Replayed.NotReplayable(source, position, "only the first " + letter.record().length + " of its " + letter.recordLength()
          + " bytes were kept (sha256 " + letter.sha256() + "); replay it from the stream or from the producer");
    }
    IngestService.Retried retried = ingest.retry(new StreamRecord(source, position, letter.at(), letter.record()));
    if (retried instanceof IngestService.Retried.Stored stored) {
      letters.remove(source, position);
      return new Replayed.Stored(source, position, stored.chunkId(), stored.firstWrite());
    }
    if (retried instanceof IngestService.Retried.StillPoison poison) {
      DeadLetter again = letter.replayedAgain(poison.reason(), poison.detail(), clock.now());
      letters.replace(again);
      return new Replayed.StillPoison(source, position, again);
    }
    return new Replayed.NotNow(source, position, ((IngestService.Retried.NotNow) retried).why());
  }

  /** Replays up to {@code limit} letters, oldest first, each as {@link #replay} does. */
  public List<Replayed> replayAll(int limit) {
    List<Replayed> out = new ArrayList<>();
    for (DeadLetter letter : letters.list(limit)) {
      out.add(replay(letter.source(), letter.position()));
    }
    return out;
  }
}
