package io.spillway.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeadLetters} adapter must do: keep each letter whole, once per source and
 * position, and list them oldest first up to a limit. Letters are added in the order of their
 * {@code at} (so "oldest" means the same by arrival and by timestamp), at whole milliseconds.
 */
public abstract class DeadLettersContract {

  /** A new, empty store. */
  protected abstract DeadLetters newDeadLetters();

  static final Instant T0 = Instant.parse("2025-06-01T12:00:00.250Z");

  static DeadLetter letter(String source, String position, int n) {
    byte[] record = new byte[50 + n];
    for (int i = 0; i < record.length; i++) {
      record[i] = (byte) (i * 31 + n);
    }
    return DeadLetter.of(source, position, "CHECKSUM_MISMATCH", "declared CRC32C 0000000" + n + ", computed ffffffff", record, T0.plusSeconds(n));
  }

  static List<DeadLetter> letters(int count) {
    List<DeadLetter> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(letter("shardId-00000000000" + (i % 3), String.format("%020d", 1000 + i), i));
    }
    return out;
  }

  @Test
  void anEmptyStoreListsNothing() {
    DeadLetters letters = newDeadLetters();

    assertThat(letters.list(10)).isEmpty();
    assertThat(letters.count()).isZero();
  }

  @Test
  void lettersAreKeptWholeAndListedOldestFirst() {
    DeadLetters store = newDeadLetters();
    List<DeadLetter> added = letters(7);
    added.forEach(store::add);

    List<DeadLetter> listed = store.list(100);

    assertThat(listed).containsExactlyElementsOf(added);
    for (int i = 0; i < added.size(); i++) {
      assertThat(listed.get(i).record()).isEqualTo(added.get(i).record());
      assertThat(listed.get(i).at()).isEqualTo(added.get(i).at());
      assertThat(listed.get(i).detail()).isEqualTo(added.get(i).detail());
    }
    assertThat(store.count()).isEqualTo(7);
  }

  @Test
  void theLimitCutsTheListAfterTheOldest() {
    DeadLetters store = newDeadLetters();
    List<DeadLetter> added = letters(7);
    added.forEach(store::add);

    assertThat(store.list(3)).containsExactlyElementsOf(added.subList(0, 3));
    assertThat(store.list(1)).containsExactly(added.get(0));
    assertThat(store.list(7)).containsExactlyElementsOf(added);
    assertThat(store.list(0)).isEmpty();
    assertThat(store.count()).as("listing removes nothing").isEqualTo(7);
  }

  @Test
  void aSecondLetterForTheSameSourceAndPositionIsIgnored() {
    DeadLetters store = newDeadLetters();
    DeadLetter first = letter("shardId-000000000001", "00000000000000000042", 1);
    DeadLetter second = DeadLetter.of(first.source(), first.position(), "MALFORMED", "other detail", new byte[] {1, 2, 3}, first.at().plusSeconds(60));

    store.add(first);
    store.add(first);
    store.add(second);

    assertThat(store.list(10)).containsExactly(first);
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  void theSamePositionOnAnotherSourceIsAnotherLetter() {
    DeadLetters store = newDeadLetters();
    DeadLetter a = letter("shardId-000000000001", "00000000000000000042", 1);
    DeadLetter b = letter("shardId-000000000002", "00000000000000000042", 2);
    DeadLetter c = letter("shardId-000000000001", "00000000000000000043", 3);

    store.add(a);
    store.add(b);
    store.add(c);

    assertThat(store.list(10)).containsExactly(a, b, c);
    assertThat(store.count()).isEqualTo(3);
  }

  @Test
  void sourceAndPositionDoNotRunTogether() {
    DeadLetters store = newDeadLetters();
    DeadLetter a = letter("shard-1", "23", 1);
    DeadLetter b = letter("shard-12", "3", 2);

    store.add(a);
    store.add(b);

    assertThat(store.count()).isEqualTo(2);
    assertThat(store.list(10)).containsExactly(a, b);
  }

  @Test
  void anEmptyRecordIsKept() {
    DeadLetters store = newDeadLetters();
    DeadLetter empty = DeadLetter.of("shardId-000000000000", "00000000000000000001", "TOO_SHORT", "record of 0 bytes", new byte[0], T0);

    store.add(empty);

    assertThat(store.list(1)).containsExactly(empty);
  }

  @Test
  void theStoreKeepsItsOwnCopyOfTheRecord() {
    DeadLetters store = newDeadLetters();
    DeadLetter letter = letter("shardId-000000000001", "00000000000000000042", 1);
    byte[] original = letter.record().clone();
    store.add(letter);

    letter.record()[0] ^= 0x5A;
    DeadLetter listed = store.list(1).get(0);
    assertThat(listed.record()).as("after the caller changed its array").isEqualTo(original);

    listed.record()[1] ^= 0x5A;
    assertThat(store.list(1).get(0).record()).as("after a reader changed its array").isEqualTo(original);
  }

  @Test
  void aRecordLargerThanAnItemIsKeptAsItsHeadWithItsLengthAndDigest() {
    DeadLetters store = newDeadLetters();
    byte[] huge = new byte[990 * 1024];
    new java.util.Random(7).nextBytes(huge);
    DeadLetter letter = DeadLetter.of("shardId-000000000003", "00000000000000000077", "PAYLOAD_TOO_LARGE", "x".repeat(5_000), huge, T0);

    store.add(letter);

    DeadLetter listed = store.list(1).get(0);
    assertThat(listed.truncated()).isTrue();
    assertThat(listed.recordLength()).isEqualTo(huge.length);
    assertThat(listed.record()).isEqualTo(java.util.Arrays.copyOf(huge, DeadLetter.KEPT_BYTES));
    assertThat(listed.sha256()).isEqualTo(DeadLetter.sha256(huge)).hasSize(64);
    assertThat(listed.detail()).hasSize(DeadLetter.DETAIL_CHARS).endsWith("…");
    assertThat(listed.reason()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  void aRecordOfExactlyTheKeptSizeIsKeptWhole() {
    DeadLetters store = newDeadLetters();
    byte[] record = new byte[DeadLetter.KEPT_BYTES];
    java.util.Arrays.fill(record, (byte) 0x42);
    DeadLetter letter = DeadLetter.of("shardId-000000000004", "00000000000000000078", "BAD_MAGIC", "not a chunk", record, T0);

    store.add(letter);

    DeadLetter listed = store.list(1).get(0);
    assertThat(listed.truncated()).isFalse();
    assertThat(listed).isEqualTo(letter);
  }

  @Test
  void aLetterIsFoundByItsSourceAndPositionAndNotByAnother() {
    DeadLetters store = newDeadLetters();
    List<DeadLetter> all = letters(4);
    all.forEach(store::add);

    assertThat(store.find(all.get(2).source(), all.get(2).position())).contains(all.get(2));
    assertThat(store.find(all.get(2).source(), all.get(3).position())).isEmpty();
    assertThat(store.find("shardId-999", all.get(2).position())).isEmpty();
  }

  @Test
  void aReplacedLetterKeepsItsPlaceAndCarriesItsNewReason() {
    DeadLetters store = newDeadLetters();
    List<DeadLetter> all = letters(3);
    all.forEach(store::add);
    DeadLetter again = all.get(1).replayedAgain("MALFORMED", "still not a chunk", T0.plusSeconds(3_600));

    assertThat(store.replace(again)).isTrue();

    assertThat(store.find(again.source(), again.position())).contains(again);
    assertThat(store.list(10)).containsExactly(all.get(0), again, all.get(2));
    assertThat(again.detail()).startsWith("replayed " + T0.plusSeconds(3_600) + ": MALFORMED: still not a chunk")
        .contains("CHECKSUM_MISMATCH: " + all.get(1).detail());
    assertThat(store.count()).isEqualTo(3);
  }

  @Test
  void replacingALetterThatIsNotThereWritesNothing() {
    DeadLetters store = newDeadLetters();
    DeadLetter absent = letter("shardId-000000000000", "00000000000000000042", 42);

    assertThat(store.replace(absent)).isFalse();

    assertThat(store.count()).isZero();
    assertThat(store.find(absent.source(), absent.position())).isEmpty();
  }

  @Test
  void aRemovedLetterIsGoneAndRemovingItAgainSaysSo() {
    DeadLetters store = newDeadLetters();
    List<DeadLetter> all = letters(3);
    all.forEach(store::add);

    assertThat(store.remove(all.get(0).source(), all.get(0).position())).isTrue();
    assertThat(store.remove(all.get(0).source(), all.get(0).position())).isFalse();

    assertThat(store.find(all.get(0).source(), all.get(0).position())).isEmpty();
    assertThat(store.list(10)).containsExactly(all.get(1), all.get(2));
    assertThat(store.count()).isEqualTo(2);
  }
}
