package io.spillway.adapters.inmemory;

import io.spillway.application.contract.JobsContract;
import io.spillway.application.port.out.Jobs;

/** The jobs contract against the in-memory maps. */
class InMemoryJobsContractTest extends JobsContract {
  @Override
  protected Jobs newJobs() {
    return new InMemoryJobs();
  }
}
