package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.kcl.KclConsumer;
import picocli.CommandLine.Option;

/** {@code --retrieval polling | efo}: how the KCL consumers read the shards. */
final class RetrievalOption {
  /** The option's values, as typed. */
  enum Value {
    polling(KclConsumer.Retrieval.POLLING),
    efo(KclConsumer.Retrieval.ENHANCED_FAN_OUT);

    final KclConsumer.Retrieval retrieval;

    Value(KclConsumer.Retrieval retrieval) {
      this.retrieval = retrieval;
    }
  }

  @Option(names = "--retrieval", defaultValue = "${env:SPILLWAY_RETRIEVAL:-polling}",
      description = "polling | efo: GetRecords polling, or enhanced fan-out (a registered stream consumer, records pushed over "
          + "SubscribeToShard) (env SPILLWAY_RETRIEVAL; default polling)")
  Value value;

  KclConsumer.Retrieval retrieval() {
    return value.retrieval;
  }
}
