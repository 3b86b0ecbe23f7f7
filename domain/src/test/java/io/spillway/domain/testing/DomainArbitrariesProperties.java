package io.spillway.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.Checks;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;

/** The shared arbitraries produce what their Javadoc promises, so other modules can rely on them. */
class DomainArbitrariesProperties {
  private static final JobId JOB = JobId.of("arb-job");

  @Property(tries = 200)
  @StatisticsReport(StatisticsReportMode.OFF)
  void jobEventsAreDenseFromZeroInOneJobWithFewGroups(@ForAll("jobEvents") List<Event> events) {
    assertThat(events).hasSizeLessThanOrEqualTo(300);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).sequence()).isEqualTo(i);
      assertThat(events.get(i).jobId()).isEqualTo(JOB);
    }
    assertThat(events.stream().map(Event::groupKey).distinct().count()).isLessThanOrEqualTo(4);
    Statistics.label("has a max payload").collect(events.stream().anyMatch(e -> e.payload().length == Event.MAX_PAYLOAD_BYTES));
  }

  @Provide
  Arbitrary<List<Event>> jobEvents() {
    return DomainArbitraries.jobEvents(JOB);
  }

  @Property(tries = 500)
  void textStaysWithinItsByteBounds(@ForAll("text") String s) {
    assertThat(Checks.utf8Length(s)).isBetween(1, 64);
    assertThat(Checks.utf8Length(s)).isEqualTo(Checks.utf8(s).length);
    Checks.text("t", s, 1, 64);
  }

  @Provide
  Arbitrary<String> text() {
    return DomainArbitraries.text(1, 64);
  }

  @Property(tries = 1000)
  @StatisticsReport(StatisticsReportMode.OFF)
  void eventsCoverTheEdgesTheirJavadocPromises(@ForAll("event") Event e) {
    Statistics.label("canonical uuid id").collect(e.eventId().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    Statistics.label("before 1970").collect(e.eventTime().isBefore(java.time.Instant.EPOCH));
    Statistics.label("sub-millisecond nanos").collect(e.eventTime().getNano() % 1_000_000 != 0);
    Statistics.label("multibyte group").collect(Checks.utf8Length(e.groupKey()) > e.groupKey().length());
    Statistics.label("empty payload").collect(e.payload().length == 0);
    Statistics.label("canonical uuid id").coverage(c -> {
      c.check(true).percentage(p -> p > 20);
      c.check(false).percentage(p -> p > 10);
    });
    Statistics.label("before 1970").coverage(c -> c.check(true).percentage(p -> p > 10));
    Statistics.label("sub-millisecond nanos").coverage(c -> c.check(true).percentage(p -> p > 20));
    Statistics.label("multibyte group").coverage(c -> c.check(true).percentage(p -> p > 10));
    Statistics.label("empty payload").coverage(c -> c.check(true).count(n -> n > 0));
  }

  @Provide
  Arbitrary<Event> event() {
    return DomainArbitraries.events(JOB);
  }
}
