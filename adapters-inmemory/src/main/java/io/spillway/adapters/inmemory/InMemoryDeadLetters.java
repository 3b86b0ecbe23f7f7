package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Dead letters kept in arrival order, one per stream position. */
public final class InMemoryDeadLetters implements DeadLetters {
  private final Map<String, DeadLetter> letters = new LinkedHashMap<>();

  @Override
  public synchronized void add(DeadLetter letter) {
    // copies in and out, as a real store keeps its own bytes
    letters.putIfAbsent(key(letter.source(), letter.position()), copy(letter));
  }

  @Override
  public synchronized List<DeadLetter> list(int limit) {
    List<DeadLetter> out = new ArrayList<>();
    for (DeadLetter d : letters.values()) {
      if (out.size() >= limit) break;
      out.add(copy(d));
    }
    return out;
  }

  private static DeadLetter copy(DeadLetter d) {
    return new DeadLetter(d.source(), d.position(), d.reason(), d.detail(), d.record().clone(), d.recordLength(), d.sha256(), d.at());
  }

  @Override
  public synchronized long count() {
    return letters.size();
  }

  @Override
  public synchronized Optional<DeadLetter> find(String source, String position) {
    return Optional.ofNullable(letters.get(key(source, position))).map(InMemoryDeadLetters::copy);
  }

  @Override
  public synchronized boolean replace(DeadLetter letter) {
    return letters.replace(key(letter.source(), letter.position()), copy(letter)) != null;
  }

  @Override
  public synchronized boolean remove(String source, String position) {
    return letters.remove(key(source, position)) != null;
  }

  private static String key(String source, String position) {
    return source + "\u0000" + position;
  }
}
