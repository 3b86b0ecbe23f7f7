package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.contract.JobsContract;
import io.spillway.application.port.out.Jobs;

class DynamoDbJobsContractTest extends JobsContract {
  @Override
  protected Jobs newJobs() {
    return new DynamoDbJobs(io.spillway.adapters.aws.LocalStandIns.freshTable());
  }
}
