package io.spillway.domain.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.testing.DomainArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Job ids are safe inside DynamoDB keys and Kinesis partition keys: 1..64 of A-Z a-z 0-9 - _ . */
class JobIdTest {

  @ParameterizedTest
  @NullAndEmptySource
  void refusesAMissingId(String value) {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> new JobId(value));
    assertThat(e.field()).isEqualTo("jobId");
    assertThat(e.getMessage()).contains("1..64 characters");
  }

  @Test
  void refusesSixtyFiveCharacters() {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> JobId.of("j".repeat(65)));
    assertThat(e.field()).isEqualTo("jobId");
    assertThat(e.limit()).isEqualTo("1..64 characters");
    assertThat(JobId.of("j".repeat(64)).value()).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a#b", "a b", "é", "job:1", "a\u0000", "🚀", "J#1"})
  void refusesCharactersThatBreakKeys(String value) {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> JobId.of(value));
    assertThat(e.field()).isEqualTo("jobId");
    assertThat(e.limit()).contains("A-Z a-z 0-9 - _ .");
  }

  @Property(tries = 300)
  void acceptsEveryIdOfTheAllowedAlphabet(@ForAll("jobIds") JobId id) {
    assertThat(JobId.of(id.value())).isEqualTo(id);
    assertThat(id.toString()).isEqualTo(id.value());
  }

  @Provide
  Arbitrary<JobId> jobIds() {
    return DomainArbitraries.jobIds();
  }

  @Property(tries = 300)
  void refusesAnIdWithAnyCharacterOutsideTheAlphabet(@ForAll("withForeignChar") String value) {
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> JobId.of(value))).isNotNull();
  }

  @Provide
  Arbitrary<String> withForeignChar() {
    Arbitrary<Character> foreign = Arbitraries.chars().filter(c -> !(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.');
    return Combinators.combine(DomainArbitraries.jobIds(), foreign, Arbitraries.integers().between(0, 63))
        .as((id, c, at) -> {
          String v = id.value();
          int i = Math.min(at, v.length() - 1);
          return (v.substring(0, i) + c + v.substring(i + 1));
        });
  }

  @Test
  void ordersByValue() {
    assertThat(JobId.of("a").compareTo(JobId.of("b"))).isNegative();
    assertThat(JobId.of("job-10").compareTo(JobId.of("job-10"))).isZero();
  }
}
