package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * At-least-once delivery: whatever the schedule — duplicates, reordering, consumers crashing and
 * restarting mid-batch — the dataset read back is exactly what was produced, each event once, and
 * the job becomes AVAILABLE.
 */
class AtLeastOnceDeliveryProperties {
  private static final JobId JOB = new JobId("atleastonce");

  @Provide
  Arbitrary<List<Event>> jobs() {
    return DomainArbitraries.jobEvents(JOB, 1, 400, DomainArbitraries.payloads(), 6);
  }

  @Property(tries = 40)
  void datasetReadBackEqualsProducedUnderAnyDeliverySchedule(
      @ForAll("jobs") List<Event> events,
      @ForAll long scheduleSeed,
      @ForAll @IntRange(min = 1, max = 8) int buckets,
      @ForAll @IntRange(min = 0, max = 4) int crashes) {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "property", JobClass.STANDARD, buckets));
      h.intake.appendAll(JOB, events);
      h.intake.seal(JOB);
      List<StreamRecord> records = h.allRecords();
      assertThat(records).isNotEmpty();

      List<List<StreamRecord>> schedule = schedule(records, new Random(scheduleSeed), crashes);
      IngestService consumer = h.newConsumer(IngestSettings.defaults());
      long deliveries = 0;
      int crashAt = schedule.size() / (crashes + 1);
      for (int i = 0; i < schedule.size(); i++) {
        if (crashes > 0 && crashAt > 0 && i % crashAt == crashAt - 1) {
          consumer = h.newConsumer(IngestSettings.defaults()); // the process died; a new one resumes
        }
        IngestResult result = consumer.ingest(schedule.get(i));
        assertThat(result.complete()).isTrue();
        deliveries += schedule.get(i).size();
      }

      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
      List<Event> back = h.readBack(JOB);
      assertThat(back).hasSize(events.size());
      back.sort(Comparator.comparingLong(Event::sequence));
      assertThat(back).containsExactlyElementsOf(events);
      long stored = 0;
      for (int b = 0; b < buckets; b++) stored += h.chunks.count(JOB, b);
      assertThat(stored).isEqualTo(records.size());
      assertThat(h.chunks.duplicatesSeen()).isEqualTo(deliveries - records.size());
      assertThat(h.deadLetters.count()).isZero();
    }
  }

  /**
   * Batches of records: every record at least once, some several times, in shuffled order, with
   * "crash" redeliveries that replay a recent window.
   */
  private static List<List<StreamRecord>> schedule(List<StreamRecord> records, Random random, int crashes) {
    List<StreamRecord> deliveries = new ArrayList<>(records);
    int extra = random.nextInt(records.size() + 1);
    for (int i = 0; i < extra; i++) {
      deliveries.add(records.get(random.nextInt(records.size())));
    }
    Collections.shuffle(deliveries, random);
    for (int c = 0; c < crashes && !deliveries.isEmpty(); c++) {
      int from = random.nextInt(deliveries.size());
      int to = Math.min(deliveries.size(), from + 1 + random.nextInt(4));
      deliveries.addAll(to, new ArrayList<>(deliveries.subList(from, to)));
    }
    List<List<StreamRecord>> batches = new ArrayList<>();
    for (int i = 0; i < deliveries.size(); ) {
      int n = 1 + random.nextInt(5);
      batches.add(new ArrayList<>(deliveries.subList(i, Math.min(deliveries.size(), i + n))));
      i += n;
    }
    return batches;
  }
}
