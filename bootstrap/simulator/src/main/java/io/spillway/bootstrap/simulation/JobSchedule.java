package io.spillway.bootstrap.simulation;

import io.spillway.domain.job.JobClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The jobs a scenario's workload brings, drawn once from its seed so that every architecture meets
 * the same jobs at the same times: arrivals shaped by business hours plus bursts, a class per job
 * by share, events per job log-normal around the class median.
 *
 * <p>Events travel in blocks: one simulated event stands for {@link Planned#eventsPerBlock} of the
 * job's events, with a payload sized so the modelled codec stores what the scenario's compression
 * ratio would store for them (about {@value #BLOCK_STORED_BYTES} bytes a block, some 65 blocks a
 * chunk). Chunking, the stream's and the table's limits and the checkpoints then work on real
 * chunks of the right size, without materialising every event.
 */
public final class JobSchedule {
  static final int BLOCK_STORED_BYTES = 6_000;
  /** Envelope bytes a block adds beyond its payload (id, times, type, group, sequence), measured on the encoder. */
  static final int BLOCK_ENVELOPE_BYTES = 24;

  /** One job of the schedule. */
  public record Planned(int index, Scenario.JobClassSpec spec, Instant arrival, long events, int eventsPerBlock, long blocks, int blockPayloadBytes) {
    public JobClass jobClass() {
      return spec.name.equalsIgnoreCase("complex") ? JobClass.COMPLEX : JobClass.STANDARD;
    }

    /** How long the job's computation takes to emit every event when nothing holds it back. */
    public Duration naturalDuration() {
      return Duration.ofMillis((long) Math.ceil(events / spec.eventsPerSecond * 1000));
    }

    public Instant naturalEnd() {
      return arrival.plus(naturalDuration());
    }

    /** Bytes the job's events take compressed, by the scenario's ratio. */
    public double storedBytes() {
      return events * (double) spec.eventBytes * spec.compressionRatio;
    }

    public String id() {
      return String.format(java.util.Locale.ROOT, "sim-%06d", index);
    }
  }

  private JobSchedule() {}

  public static List<Planned> draw(Scenario s, Instant start) {
    SplittableRandom random = new SplittableRandom(s.seed);
    List<Instant> arrivals = new ArrayList<>();
    int wholeDays = (int) Math.ceil(s.days);
    for (int d = 0; d < wholeDays; d++) {
      double dayFraction = Math.min(1, s.days - d);
      long jobs = Math.round(s.workload.jobsPerDay * dayFraction);
      Scenario.BusinessHours bh = s.workload.businessHours;
      double insideHours = bh.end - bh.start;
      for (long j = 0; j < jobs; j++) {
        double hour;
        if (random.nextDouble() < bh.share) {
          hour = bh.start + random.nextDouble() * insideHours;
        } else {
          // the other hours, as one span that skips the business hours
          double h = random.nextDouble() * (24 - insideHours);
          hour = h < bh.start ? h : h + insideHours;
        }
        if (hour < 24 * dayFraction) {
          arrivals.add(start.plus(Duration.ofMillis((long) ((d * 24 + hour) * 3_600_000))));
        }
      }
    }
    for (Scenario.Burst b : s.workload.bursts) {
      for (int j = 0; j < b.jobs; j++) {
        double minutes = random.nextDouble() * b.withinMinutes;
        arrivals.add(start.plus(Duration.ofMillis((long) (b.atHour * 3_600_000 + minutes * 60_000))));
      }
    }
    arrivals.sort(Comparator.naturalOrder());
    List<Planned> jobs = new ArrayList<>(arrivals.size());
    for (int i = 0; i < arrivals.size(); i++) {
      Scenario.JobClassSpec spec = pick(s.workload.classes, random.nextDouble());
      long events = Math.max(1, Math.round(spec.eventsMedian * Math.exp(spec.eventsSigma * random.nextGaussian())));
      double storedPerEvent = spec.eventBytes * spec.compressionRatio;
      int perBlock = (int) Math.max(1, Math.round(BLOCK_STORED_BYTES / storedPerEvent));
      long blocks = Math.max(1, Math.round((double) events / perBlock));
      int payload = (int) Math.max(1, Math.round(perBlock * storedPerEvent / ModelledCodec.RATIO) - BLOCK_ENVELOPE_BYTES);
      jobs.add(new Planned(i + 1, spec, arrivals.get(i), blocks * perBlock, perBlock, blocks, payload));
    }
    return jobs;
  }

  private static Scenario.JobClassSpec pick(List<Scenario.JobClassSpec> classes, double u) {
    double acc = 0;
    for (Scenario.JobClassSpec c : classes) {
      acc += c.share;
      if (u < acc) return c;
    }
    return classes.get(classes.size() - 1);
  }
}
