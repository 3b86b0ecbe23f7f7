package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.bootstrap.local.AwsClients;
import io.spillway.bootstrap.local.AwsPipeline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates Spillway's stream and table if they are absent; safe to run twice. */
@Command(name = "setup", mixinStandardHelpOptions = true, description = "Create the stream and the table if absent (safe to run twice).")
public final class SetupCommand implements Callable<Integer> {
  /** Where to create them. */
  enum Backend {
    local,
    aws
  }

  /** How the table is billed. */
  enum Billing {
    on_demand,
    provisioned
  }

  @Option(names = "--backend", defaultValue = "${env:SPILLWAY_BACKEND:-local}", description = "local | aws (env SPILLWAY_BACKEND; default local)")
  Backend backend;

  @Option(names = "--shards", defaultValue = "4", description = "shards of a new stream (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--retention-hours", defaultValue = "24", description = "stream retention, 24..8760 hours (default ${DEFAULT-VALUE})")
  int retentionHours;

  @Option(names = "--billing", defaultValue = "on_demand", description = "on_demand | provisioned (default ${DEFAULT-VALUE})")
  Billing billing;

  @Option(names = "--read-units", defaultValue = "100", description = "provisioned read units (default ${DEFAULT-VALUE})")
  long readUnits;

  @Option(names = "--write-units", defaultValue = "1000", description = "provisioned write units (default ${DEFAULT-VALUE})")
  long writeUnits;

  @Mixin AwsOptions aws;

  @Override
  public Integer call() {
    Options.atLeast("--shards", shards, 1);
    Options.atLeast("--retention-hours", retentionHours, 24);
    if (retentionHours > 8_760) {
      throw new io.spillway.domain.InvalidFieldException("--retention-hours", retentionHours, "at most 8760 (365 days)");
    }
    SpillwayTable.Billing mode = billing == Billing.on_demand ? new SpillwayTable.Billing.OnDemand()
        : new SpillwayTable.Billing.Provisioned(readUnits, writeUnits);
    try (AwsClients clients = aws.clients(backend.name())) {
      AwsPipeline.setup(clients, aws.table, mode, aws.stream, shards, Duration.ofHours(retentionHours));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backend", backend.name());
    out.put("stream", aws.stream);
    out.put("table", aws.table);
    out.put("ready", true);
    System.out.println(Json.of(out));
    return 0;
  }
}
