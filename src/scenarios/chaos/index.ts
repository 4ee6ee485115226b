import { invalidOption } from '../../options';
import { runBrokerLoss } from './brokerLoss';
import { runBrokerRestart } from './brokerRestart';
import { runConsumerChurn } from './consumerChurn';
import { runConsumerCrash } from './consumerCrash';
import { CHAOS_SCENARIOS, type ChaosNote, type ChaosReport, type ChaosScenarioName } from '../../chaos/report';

/** Throws a message naming the known scenarios when `name` is not one of them. */
export function validateScenarioName(name: unknown): asserts name is ChaosScenarioName {
  if (typeof name !== 'string' || !(CHAOS_SCENARIOS as readonly string[]).includes(name)) {
    invalidOption('chaos scenario', name, `one of ${CHAOS_SCENARIOS.join(', ')}`);
  }
}

/** Runs one fault scenario with its defaults and returns its report. */
export async function runChaosScenario(
  name: ChaosScenarioName,
  options: { onNote?: ChaosNote } = {},
): Promise<ChaosReport> {
  validateScenarioName(name);
  switch (name) {
    case 'consumer-churn':
      return runConsumerChurn(options);
    case 'broker-loss':
      return runBrokerLoss(options);
    case 'broker-restart':
      return runBrokerRestart(options);
    case 'consumer-crash':
      return runConsumerCrash(options);
  }
}
