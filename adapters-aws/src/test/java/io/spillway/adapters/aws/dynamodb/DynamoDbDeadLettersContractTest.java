package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.contract.DeadLettersContract;
import io.spillway.application.port.out.DeadLetters;

class DynamoDbDeadLettersContractTest extends DeadLettersContract {
  @Override
  protected DeadLetters newDeadLetters() {
    return new DynamoDbDeadLetters(io.spillway.adapters.aws.LocalStandIns.freshTable());
  }
}
