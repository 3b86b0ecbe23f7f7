package io.spillway.archfixture.bootstrap.simulation;

import io.spillway.archfixture.adapters.aws.DynamoLedger;

/** Planted: a simulation that leans on the AWS adapter, so its forecast depends on a cloud. */
public final class SimulatedAwsRun {
  public Object ledger() {
    return new DynamoLedger();
  }
}
