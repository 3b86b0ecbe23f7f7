package io.spillway.bootstrap.simulation;

import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A discrete-event loop on a {@link SimClock}: actors take turns in order of their next time (ties
 * in the order they were scheduled, so a run is deterministic). Single-threaded: the services an
 * actor calls see one caller at a time.
 */
public final class EventLoop {
  /** Something that acts at points in simulated time. */
  @FunctionalInterface
  public interface Actor {
    /** Acts at the clock's time; returns when to act next, or null when done. */
    Instant act(Instant now);
  }

  private record Turn(Instant at, long order, Actor actor) {}

  private final SimClock clock;
  private final PriorityQueue<Turn> queue = new PriorityQueue<>((a, b) -> {
    int c = a.at.compareTo(b.at);
    return c != 0 ? c : Long.compare(a.order, b.order);
  });
  private long scheduled;
  private boolean stopped;

  public EventLoop(SimClock clock) {
    this.clock = clock;
  }

  public void schedule(Instant at, Actor actor) {
    queue.add(new Turn(at, scheduled++, actor));
  }

  /** Ends {@link #runUntil} after the current turn: the run's outcome is already settled. */
  public void stop() {
    stopped = true;
  }

  /** Runs turns before {@code end} (or until {@link #stop}); {@code progress} hears each turn's time (cheaply: keep it light). */
  public void runUntil(Instant end, Consumer<Instant> progress) {
    while (!stopped && !queue.isEmpty() && queue.peek().at.isBefore(end)) {
      Turn t = queue.poll();
      clock.set(t.at);
      progress.accept(t.at);
      Instant next = t.actor.act(t.at);
      if (next != null) {
        // a turn that slept ends later than it began: its next turn is never before that
        Instant after = clock.now();
        schedule(next.isBefore(after) ? after : next, t.actor);
      }
    }
    clock.set(end);
  }
}
