package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Chunk identity and its keys: spread over buckets, ordered by sequence, one prefix per group. */
class ChunkIdProperties {

  @Provide
  Arbitrary<String> groups() {
    return DomainArbitraries.groupKeys();
  }

  @Provide
  Arbitrary<JobId> jobs() {
    return DomainArbitraries.jobIds();
  }

  @Property(tries = 300)
  void consecutiveChunksOfAGroupVisitEveryBucketOnce(@ForAll("groups") String group, @ForAll @IntRange(min = 1, max = 1024) int buckets,
      @ForAll @LongRange(min = 0, max = 1_000_000) long start) {
    Set<Integer> seen = new HashSet<>();
    for (long s = start; s < start + buckets; s++) {
      int b = ChunkId.bucketFor(group, s, buckets);
      assertThat(b).isBetween(0, buckets - 1);
      seen.add(b);
    }
    assertThat(seen).hasSize(buckets);
  }

  @Property(tries = 300)
  void sortKeysOrderAGroupsChunksBySequence(@ForAll("jobs") JobId job, @ForAll("groups") String group,
      @ForAll @LongRange(min = 0, max = ChunkId.MAX_SEQUENCE) long a, @ForAll @LongRange(min = 0, max = ChunkId.MAX_SEQUENCE) long b) {
    ChunkId x = ChunkId.of(job, group, a, 16);
    ChunkId y = ChunkId.of(job, group, b, 16);
    assertThat(Integer.signum(StoredItemLayout.sortKey(x).compareTo(StoredItemLayout.sortKey(y)))).isEqualTo(Long.signum(a - b));
    assertThat(StoredItemLayout.sortKey(x)).startsWith(StoredItemLayout.groupPrefix(group));
  }

  @Property(tries = 500)
  void aGroupsPrefixMatchesNoOtherGroupsKeys(@ForAll("groups") String g1, @ForAll("groupsOrExtensions") String g2,
      @ForAll @LongRange(min = 0, max = ChunkId.MAX_SEQUENCE) long seq) {
    Assume.that(!g1.equals(g2));
    ChunkId other = new ChunkId(JobId.of("j"), 0, g2, seq);
    assertThat(StoredItemLayout.sortKey(other)).doesNotStartWith(StoredItemLayout.groupPrefix(g1));
  }

  /** Other groups, often ones that start with the first (the case a plain "group#" prefix gets wrong). */
  @Provide
  Arbitrary<String> groupsOrExtensions() {
    return Arbitraries.oneOf(
        DomainArbitraries.groupKeys(),
        Combinators.combine(Arbitraries.of("g", "orders", "用户-7"), Arbitraries.of("#", "#0", "#1#", "x", "#000")).as(String::concat));
  }

  @Property(tries = 300)
  void theStreamPartitionKeyStaysWithinOneHundredCharacters(@ForAll("jobs") JobId job, @ForAll("groups") String group,
      @ForAll @IntRange(min = 0, max = 1023) int bucket, @ForAll @LongRange(min = 0, max = ChunkId.MAX_SEQUENCE) long seq) {
    assertThat(new ChunkId(job, bucket, group, seq).streamPartitionKey()).hasSizeLessThanOrEqualTo(100);
  }

  @Example
  void keysUseAsciiDigitsWhateverTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("th-TH-u-nu-thai"));
      ChunkId id = new ChunkId(JobId.of("job-1"), 12, "g", 42);
      assertThat(StoredItemLayout.sortKey(id)).isEqualTo("C#001#g#0000000042");
      assertThat(StoredItemLayout.partitionKey(id)).isEqualTo("J#job-1#12");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Example
  void writeUnitsAreOnePerStartedKilobyte() {
    assertThat(StoredItemLayout.writeUnits(0)).isEqualTo(1);
    assertThat(StoredItemLayout.writeUnits(1)).isEqualTo(1);
    assertThat(StoredItemLayout.writeUnits(1024)).isEqualTo(1);
    assertThat(StoredItemLayout.writeUnits(1025)).isEqualTo(2);
    assertThat(StoredItemLayout.writeUnits(StoredItemLayout.ITEM_LIMIT_BYTES)).isEqualTo(400);
  }

  @Example
  void refusesIdsNoChunkCanHave() {
    JobId job = JobId.of("j");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkId(job, 1024, "g", 0)).field()).isEqualTo("chunk.bucket");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkId(job, -1, "g", 0)).field()).isEqualTo("chunk.bucket");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkId(job, 0, "", 0)).field()).isEqualTo("chunk.groupKey");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkId(job, 0, "g", -1)).field()).isEqualTo("chunk.sequence");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkId(job, 0, "g", ChunkId.MAX_SEQUENCE + 1)).field())
        .isEqualTo("chunk.sequence");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkId(null, 0, "g", 0)).field()).isEqualTo("chunk.jobId");
  }
}
