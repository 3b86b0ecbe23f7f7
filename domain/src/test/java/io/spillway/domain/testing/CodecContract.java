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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Codec} honours, as an abstract test: extend it with the codec under
 * test. Round trips of any bytes and any slice; exact-size inflation; refusal, without allocating
 * past the declared raw length, of input that inflates further (a decompression bomb); refusal of
 * input that stops short.
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

  @Test
  void inflatesTheEmptyInputToNothing() {
    byte[] compressed = codec().compress(new byte[0], 0, 0);
    assertThat(codec().decompress(compressed, 0, compressed.length, 0)).isEmpty();
  }
}
