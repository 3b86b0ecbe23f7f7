package io.spillway.application.port.out;

import java.util.List;

/** Where poison records go, with their reason. */
public interface DeadLetters {
  /** Keeps the letter; a second letter for the same source and position is a no-op. */
  void add(DeadLetter letter);

  /** Up to {@code limit} letters, oldest first. */
  List<DeadLetter> list(int limit);

  long count();
}
