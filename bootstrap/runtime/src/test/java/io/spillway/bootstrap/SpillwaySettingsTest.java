package io.spillway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.risk.RiskLevel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillwaySettingsTest {

  @Test
  void anEmptyFileIsTheDefaultsInMemory(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("spillway.properties"), "# nothing set\n");
    SpillwaySettings p = SpillwaySettings.load(file);

    assertThat(p.aws()).isEmpty();
    SpillwayConfig defaults = SpillwayConfig.defaults();
    // a policy is a function: equal by what it decides, so compare the rest
    assertThat(p.config().withBacklog(defaults.backlog())).isEqualTo(defaults);
    assertThat(p.config().backlog().window()).isEqualTo(defaults.backlog().window());
  }

  @Test
  void everySettingReachesTheConfiguration() {
    SpillwaySettings p = SpillwaySettings.from(Map.ofEntries(
        Map.entry("spillway.backend", "aws"),
        Map.entry("spillway.codec", "gzip"),
        Map.entry("spillway.codec.level", "6"),
        Map.entry("spillway.assembler.linger", "2s"),
        Map.entry("spillway.publisher.maxBufferedBytes", "16_777_216"),
        Map.entry("spillway.publisher.backpressure", "fail-fast"),
        Map.entry("spillway.publisher.blockTimeout", "PT10S"),
        Map.entry("spillway.ingest.writeUnitsPerSecond", "250"),
        Map.entry("spillway.seal.timeout", "2m"),
        Map.entry("spillway.availability.sweep", "5s"),
        Map.entry("spillway.risk.watch", "48h"),
        Map.entry("spillway.risk.critical", "12h"),
        Map.entry("spillway.aws.stream", "analytics-chunks"),
        Map.entry("spillway.aws.table", "analytics"),
        Map.entry("spillway.aws.region", "eu-west-1"),
        Map.entry("spillway.aws.kinesisEndpoint", "https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com"),
        Map.entry("spillway.aws.workers", "2"),
        Map.entry("spillway.aws.workerId", "consumer-a"),
        Map.entry("spillway.aws.failover", "20s"),
        Map.entry("spillway.aws.retrieval", "enhanced_fan_out"),
        Map.entry("spillway.aws.chunkTtl", "30d")));

    SpillwayConfig c = p.config();
    assertThat(c.codec()).isEqualTo(CodecId.GZIP);
    assertThat(c.zstdLevel()).isEqualTo(6);
    assertThat(c.assembler().linger()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.publisher().maxBufferedBytes()).isEqualTo(16L * 1024 * 1024);
    assertThat(c.publisher().backpressure()).isEqualTo(PublisherSettings.Backpressure.FAIL_FAST);
    assertThat(c.publisher().blockTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.ingest().writeUnitsPerSecond()).isEqualTo(250);
    assertThat(c.sealTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.availabilitySweep()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.backlog().safeHorizon()).isEqualTo(Duration.ofHours(48));
    var aws = p.aws().orElseThrow();
    assertThat(aws.streamName()).isEqualTo("analytics-chunks");
    assertThat(aws.tableName()).isEqualTo("analytics");
    assertThat(aws.region()).contains("eu-west-1");
    assertThat(aws.kinesisEndpoint()).contains(URI.create("https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com"));
    assertThat(aws.dynamoDbEndpoint()).isEmpty();
    assertThat(aws.workers()).isEqualTo(2);
    assertThat(aws.workerId()).contains("consumer-a");
    assertThat(aws.failover().orElseThrow().failoverTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(aws.retrieval()).isEqualTo(KclConsumer.Retrieval.ENHANCED_FAN_OUT);
    assertThat(aws.chunkTtl()).contains(Duration.ofDays(30));
    assertThat(aws.standIns()).isFalse();
  }

  @Test
  void theRiskHorizonsJudgeTheForecast() {
    SpillwayConfig c = SpillwaySettings.from(Map.of("spillway.risk.watch", "48h", "spillway.risk.critical", "12h")).config();
    var obs = new io.spillway.domain.risk.BacklogObservation(java.time.Instant.EPOCH, Duration.ofHours(24), Duration.ofMinutes(1), 100,
        io.spillway.domain.risk.DrainLimits.observed(10));
    // loss projected in (24 h - 1 min) / 0.9 ≈ 26.6 h: inside a 48 h watch horizon, outside the standard 6 h one
    assertThat(c.backlog().policy().assess(obs, java.util.Optional.of(Duration.ofHours(26)))).isEqualTo(RiskLevel.WATCH);
    assertThat(SpillwayConfig.defaults().backlog().policy().assess(obs, java.util.Optional.of(Duration.ofHours(26)))).isEqualTo(RiskLevel.OK);
  }

  @Test
  void aMisspeltKeyIsRefusedByName() {
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.ingest.writeUnitPerSecond", "100")))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("spillway.ingest.writeUnitPerSecond").hasMessageContaining("a known key");
  }

  @Test
  void aBadValueIsRefusedWithItsKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.assembler.linger", "soon")))
        .hasMessageContaining("spillway.assembler.linger").hasMessageContaining("soon").hasMessageContaining("30s");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.codec", "lz4")))
        .hasMessageContaining("spillway.codec").hasMessageContaining("lz4").hasMessageContaining("zstd");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.ingest.writeUnitsPerSecond", "-5")))
        .hasMessageContaining("ingest.writeUnitsPerSecond").hasMessageContaining("-5");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.backend", "aws", "spillway.aws.table", "analytics")))
        .hasMessageContaining("spillway.aws.stream").hasMessageContaining("required");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.aws.stream", "s1")))
        .hasMessageContaining("spillway.aws.stream").hasMessageContaining("spillway.backend=aws");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.backend", "aws", "spillway.aws.stream", "ab", "spillway.aws.table", "analytics")))
        .hasMessageContaining("aws.streamName").hasMessageContaining("3..128");
  }

  @Test
  void aSpillDirectoryTurnsTheSpillOnWithItsBoundOrOneGibibyte() {
    assertThat(SpillwaySettings.from(Map.of()).config().spill()).isEmpty();
    assertThat(SpillwaySettings.from(Map.of("spillway.publisher.spillDirectory", "/var/spool/spillway")).config().spill())
        .contains(new SpillSettings(Path.of("/var/spool/spillway"), 1L << 30));
    assertThat(SpillwaySettings.from(Map.of("spillway.publisher.spillDirectory", "spill", "spillway.publisher.spillMaxBytes", "8_388_608"))
        .config().spill()).contains(new SpillSettings(Path.of("spill"), 8L * 1024 * 1024));
  }

  @Test
  void aSpillBoundWithoutADirectoryOrBelowOneItemIsRefusedByName() {
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.publisher.spillMaxBytes", "8388608")))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessage("spillway.publisher.spillMaxBytes: \"8388608\" breaks the limit: only with spillway.publisher.spillDirectory");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.publisher.spillDirectory", "spill", "spillway.publisher.spillMaxBytes", "1000")))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessage("spillway.publisher.spillMaxBytes: 1000 breaks the limit: at least 409600 (one item)");
  }

  @Test
  void theProducersMemoryBoundIsReadAndOneTooSmallIsRefusedWithItsKey() {
    assertThat(SpillwaySettings.from(Map.of()).config().intake().maxAssembledBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(SpillwaySettings.from(Map.of("spillway.intake.maxAssembledBytes", "1073741824")).config().intake().maxAssembledBytes())
        .isEqualTo(1L << 30);
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.intake.maxAssembledBytes", "1000")))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("maxAssembledBytes").hasMessageContaining("1000");
  }
}
