package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.local.AwsPipeline;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Spec CommandSpec spec;

  @Option(names = "--backend", defaultValue = "${env:SPILLWAY_BACKEND:-local}", description = "local | aws (env SPILLWAY_BACKEND; default local)")
  Backend backend;

  @Option(names = "--shards", defaultValue = "4", description = "shards of a new stream (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--retention-hours", defaultValue = "24", description = "stream retention, 24..8760 hours (default ${DEFAULT-VALUE})")
  int retentionHours;

  @Option(names = "--billing", defaultValue = "on_demand", description = "on_demand | provisioned (default ${DEFAULT-VALUE})")
  Billing billing;

  @Option(names = "--read-units", defaultValue = "100", description = "provisioned read units, with --billing provisioned (default ${DEFAULT-VALUE})")
  long readUnits;

  @Option(names = "--write-units", defaultValue = "1000", description = "provisioned write units, with --billing provisioned (default ${DEFAULT-VALUE})")
  long writeUnits;

  @Mixin AwsOptions aws;

  @Override
  public Integer call() {
    Options.atLeast(spec, "--shards", shards, 1);
    Options.range(spec, "--retention-hours", retentionHours, 24, 8_760);
    Options.atLeast(spec, "--read-units", readUnits, 1);
    Options.atLeast(spec, "--write-units", writeUnits, 1);
    if (billing == Billing.on_demand) {
      for (String units : new String[] {"--read-units", "--write-units"}) {
        if (spec.commandLine().getParseResult().hasMatchedOption(units)) {
          throw Options.refuse(spec, units, spec.findOption(units).getValue(), "only with --billing provisioned (the table is on_demand)");
        }
      }
    }
    aws.validate(spec, backend.name(), KclConsumer.Retrieval.POLLING, false);
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
