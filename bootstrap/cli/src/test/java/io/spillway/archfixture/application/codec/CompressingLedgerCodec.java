package io.spillway.archfixture.application.codec;

import com.github.luben.zstd.Zstd;
import io.spillway.archfixture.domain.Tally;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Well-behaved application code using the allowed libraries: zstd-jni and the SLF4J API. */
public final class CompressingLedgerCodec {
  private static final Logger LOG = LoggerFactory.getLogger(CompressingLedgerCodec.class);

  public byte[] encode(Tally tally) {
    byte[] raw = (tally.key() + "=" + tally.count()).getBytes(StandardCharsets.UTF_8);
    LOG.debug("encoding {} bytes", raw.length);
    return Zstd.compress(raw);
  }
}
