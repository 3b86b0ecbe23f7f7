package io.spillway.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Codec} honours, as an abstract test: extend it with the codec under
 * test. Round trips of any bytes and any slice; exact-size inflation; refusal, without allocating
 * past the declared raw length, of input that inflates further (a decompression bomb); refusal of
 * input that stops short; refusal of anything after the one compressed unit a payload is (garbage,
 * a second gzip member or zstd frame), without inflating it.
 */
public abstract class CodecContract {

  /** The codec under test. */
  protected abstract Codec codec();

  private static final int BOMB_RAW_BYTES = 32 * 1024 * 1024;
  private static final Map<Class<?>, byte[]> BOMBS = new ConcurrentHashMap<>();

  /** 32 MiB of zeros compressed by the codec under test (tiny for any real compressor). */
  private byte[] bomb() {
    return BOMBS.computeIfAbsent(codec().getClass(), c -> codec().compress(new byte[BOMB_RAW_BYTES], 0, BOMB_RAW_BYTES));
  }

  @Property(tries = 100)
  void roundTripsAnySliceOfAnyBytes(@ForAll("bytes") byte[] data, @ForAll @IntRange(max = 16) int before, @ForAll @IntRange(max = 16) int after) {
    byte[] framed = new byte[before + data.length + after];
    Arrays.fill(framed, (byte) 0x5A);
    System.arraycopy(data, 0, framed, before, data.length);

    byte[] compressed = codec().compress(framed, before, data.length);
    byte[] embedded = new byte[before + compressed.length + after];
    Arrays.fill(embedded, (byte) 0xA5);
    System.arraycopy(compressed, 0, embedded, before, compressed.length);

    assertThat(codec().decompress(embedded, before, compressed.length, data.length)).isEqualTo(data);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048),
        DomainArbitraries.jsonLikePayloads(),
        Arbitraries.longs().map(seed -> DomainArbitraries.randomBytes(seed, 200_000)),
        Arbitraries.just(new byte[0]));
  }

  @Test
  void refusesToInflatePastTheDeclaredRawLength() {
    byte[] compressed = bomb();
    assertThatThrownBy(() -> codec().decompress(compressed, 0, compressed.length, 4096))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED));
  }

  @Test
  void refusesOneByteTooManyJustAsItRefusesMany() {
    byte[] raw = DomainArbitraries.jsonLike(7, 10_000);
    byte[] compressed = codec().compress(raw, 0, raw.length);
    assertThatThrownBy(() -> codec().decompress(compressed, 0, compressed.length, raw.length - 1))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED));
  }

  @Test
  void aBombAllocatesNoMoreThanTheDeclaredRawLength() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    byte[] compressed = bomb();
    int declared = 64 * 1024;

    long before = threads.getCurrentThreadAllocatedBytes();
    CorruptChunkException refused = null;
    try {
      codec().decompress(compressed, 0, compressed.length, declared);
    } catch (CorruptChunkException e) {
      refused = e;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED);
    // the declared buffer, the codec's own working buffers and the exception: far below the 32 MiB it would inflate to
    assertThat(allocated).isLessThan(declared + 4L * 1024 * 1024);
  }

  @Test
  void refusesInputThatInflatesShortOfTheDeclaredRawLength() {
    byte[] raw = DomainArbitraries.jsonLike(11, 5_000);
    byte[] compressed = codec().compress(raw, 0, raw.length);
    assertThatThrownBy(() -> codec().decompress(compressed, 0, compressed.length, raw.length + 1))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void refusesATruncatedPayload() {
    byte[] raw = DomainArbitraries.jsonLike(13, 5_000);
    byte[] compressed = codec().compress(raw, 0, raw.length);
    assertThatThrownBy(() -> codec().decompress(compressed, 0, compressed.length / 2, raw.length))
        .isInstanceOf(CorruptChunkException.class);
  }

  /**
   * The reason for bytes after one complete compressed payload: {@code MALFORMED} for a codec with
   * framing (gzip, zstd). A codec without framing (NONE) cannot tell them from content: for it they
   * are bytes past the declared raw length.
   */
  protected Reason trailingBytesReason() {
    return Reason.MALFORMED;
  }

  @Property(tries = 100)
  void refusesAnyBytesAfterTheCompressedPayload(@ForAll("smallBytes") byte[] data, @ForAll @Size(min = 1, max = 64) byte[] trailing) {
    byte[] compressed = codec().compress(data, 0, data.length);
    assertRefusedAs(trailingBytesReason(), concat(compressed, trailing), data.length);
  }

  @Provide
  Arbitrary<byte[]> smallBytes() {
    return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(2048), DomainArbitraries.jsonLikePayloads(), Arbitraries.just(new byte[0]));
  }

  @Test
  void refusesZeroBytesAfterTheCompressedPayload() {
    byte[] raw = DomainArbitraries.jsonLike(15, 3_000);
    byte[] compressed = codec().compress(raw, 0, raw.length);
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 18, 26, 27, 100}) {
      assertRefusedAs(trailingBytesReason(), concat(compressed, new byte[n]), raw.length);
    }
  }

  @Test
  void refusesASecondCompressedPayloadAfterTheFirst() {
    byte[] raw = DomainArbitraries.jsonLike(17, 3_000);
    byte[] one = codec().compress(raw, 0, raw.length);
    assertRefusedAs(trailingBytesReason(), concat(one, one), raw.length);
    byte[] nothing = codec().compress(new byte[0], 0, 0);
    if (nothing.length > 0) { // an empty second member or frame adds no output, only bytes
      assertRefusedAs(trailingBytesReason(), concat(one, nothing), raw.length);
      assertRefusedAs(trailingBytesReason(), concat(concat(one, nothing), new byte[] {1, 2, 3}), raw.length);
    }
  }

  @Test
  void refusesABombAfterTheCompressedPayloadWithoutInflatingIt() {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    byte[] raw = DomainArbitraries.jsonLike(19, 2_000);
    byte[] payload = concat(codec().compress(raw, 0, raw.length), bomb());

    long before = threads.getCurrentThreadAllocatedBytes();
    CorruptChunkException refused = null;
    try {
      codec().decompress(payload, 0, payload.length, raw.length);
    } catch (CorruptChunkException e) {
      refused = e;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(trailingBytesReason());
    assertThat(allocated).isLessThan(raw.length + 4L * 1024 * 1024);
  }

  private void assertRefusedAs(Reason reason, byte[] payload, int rawLength) {
    assertThatThrownBy(() -> codec().decompress(payload, 0, payload.length, rawLength))
        .as("%d bytes declaring %d raw", payload.length, rawLength)
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  @Test
  void inflatesTheEmptyInputToNothing() {
    byte[] compressed = codec().compress(new byte[0], 0, 0);
    assertThat(codec().decompress(compressed, 0, compressed.length, 0)).isEmpty();
  }
}
