package io.spillway.bootstrap.cli;

import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.aws.Patience;
import io.spillway.bootstrap.local.AwsPipeline;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where the operator commands ({@code jobs}, {@code read}, {@code verify}, {@code dead-letters})
 * find their Spillway. The command line opens one per command and closes it after; tests hand
 * the commands a Spillway of their own instead.
 */
interface Backends {
  /** Opens the Spillway the options name (refusing, with exit 2, one that cannot be reached). */
  Spillway open(CommandSpec spec, Selection selection);

  /** Done with a Spillway {@link #open} gave. */
  void release(Spillway spillway);

  /** The command line's own: a new in-memory Spillway, or the stand-ins' or AWS's stream and table. */
  Backends DEFAULT = new Backends() {
    @Override
    public Spillway open(CommandSpec spec, Selection selection) {
      if (selection.backend == Selection.Backend.memory) {
        return Spillway.inMemory(SpillwayConfig.defaults());
      }
      String backend = selection.backend.name();
      selection.aws.validate(spec, backend, KclConsumer.Retrieval.POLLING, false);
      AwsClients clients = selection.aws.clients(backend);
      AwsPipeline.Settings settings = new AwsPipeline.Settings(selection.aws.stream, selection.aws.table, 4, 1, ConsumeCommand.DEFAULT_WCU);
      SpillwayConfig config = SpillwayConfig.defaults()
          .withIngest(SpillwayConfig.defaults().ingest().withWriteUnitsPerSecond(ConsumeCommand.DEFAULT_WCU));
      return Spillway.onAws(config, AwsPipeline.awsSettings(settings, clients, Patience.BRIEF), clients);
    }

    @Override
    public void release(Spillway spillway) {
      spillway.close();
    }
  };

  /** The {@code --backend} option and, for local and aws, where the table and stream are. */
  final class Selection {
    /** The environments an operator command can look at. */
    enum Backend {
      memory,
      local,
      aws
    }

    @Option(names = "--backend", defaultValue = "${env:SPILLWAY_BACKEND:-memory}",
        description = "memory | local | aws (env SPILLWAY_BACKEND; default memory, which holds no jobs in a new process)")
    Backend backend;

    @Mixin AwsOptions aws;

    /** Where the jobs are, for messages: "table spillway" or "the in-memory backend". */
    String where() {
      return backend == Backend.memory ? "the in-memory backend" : "table " + aws.table;
    }
  }

  /** A command that takes its Spillway from {@link Backends}. */
  interface Using {
    void use(Backends backends);
  }

  /** Creates the commands, handing each that needs one these backends. */
  static CommandLine.IFactory factory(Backends backends) {
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        K made = CommandLine.defaultFactory().create(cls);
        if (made instanceof Using using) {
          using.use(backends);
        }
        return made;
      }
    };
  }
}
