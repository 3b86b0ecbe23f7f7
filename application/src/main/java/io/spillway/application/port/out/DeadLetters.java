package io.spillway.application.port.out;

import java.util.List;
import java.util.Optional;

/** Where poison records go, with their reason. */
public interface DeadLetters {
  /** Keeps the letter; a second letter for the same source and position is a no-op. */
  void add(DeadLetter letter);

  /** Up to {@code limit} letters, oldest first. */
  List<DeadLetter> list(int limit);

  long count();

  /** The letter of this source and position; empty when there is none (never written, or replayed and removed). */
  Optional<DeadLetter> find(String source, String position);

  /**
   * Overwrites the letter at {@code letter}'s source and position (a replay that found the record
   * still poison records its new reason); false, and nothing written, when no letter is there.
   */
  boolean replace(DeadLetter letter);

  /** Removes the letter (its record was replayed and is stored now); false when there was none. */
  boolean remove(String source, String position);
}
